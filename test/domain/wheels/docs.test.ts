import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUARANTEE_NAMES, parseGuaranteeName, PEER_SIZES, tableSize, type Guarantee } from '../../../src/domain/wheels/index.js';
import { REPO_ROOT } from '../../helpers/history.js';

describe('docs/wheels.md', () => {
  it('lists the shipped size of every cell T = 7..20 × guarantee, with the peer sizes', () => {
    const text = readFileSync(resolve(REPO_ROOT, 'docs/wheels.md'), 'utf8');
    const block = text.slice(text.indexOf('<!-- wheel-sizes:start -->'), text.indexOf('<!-- wheel-sizes:end -->'));
    const rows = block.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(14);
    const header = block.split('\n').find((l) => l.startsWith('| T |')) ?? '';
    expect(header.split('|').slice(2, -1).map((c) => c.trim())).toEqual([...GUARANTEE_NAMES]);
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      const T = Number(cells[0]);
      GUARANTEE_NAMES.forEach((name, i) => {
        const cell = cells[i + 1];
        expect(Number(/\*\*(\d+)\*\*/.exec(cell)?.[1]), `${T}:${name}`).toBe(tableSize(T, parseGuaranteeName(name) as Guarantee));
        const peer = PEER_SIZES[name]?.[T];
        if (peer !== undefined) expect(cell).toContain(`peer ${peer}`);
      });
    }
  });
});
