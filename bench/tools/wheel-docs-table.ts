// Prints the markdown table of shipped wheel sizes for docs/wheels.md: per pool size and guarantee,
// our ticket count (verified here again), "min" where the exact search proved no smaller wheel
// exists, the peer's size where it publishes one, and the counting lower bound.
// Usage: npx tsx bench/tools/wheel-docs-table.ts
import { GUARANTEE_NAMES, lowerBound, parseGuaranteeName, PEER_SIZES, verifyWheel } from '../../src/domain/wheels/index.js';
import { WHEEL_TABLE_JSON } from '../../src/domain/wheels/table.data.js';

const table = JSON.parse(WHEEL_TABLE_JSON) as Record<string, { tickets: number[]; proven: boolean }>;
const lines = [`| T | ${GUARANTEE_NAMES.join(' | ')} |`, `|---|${GUARANTEE_NAMES.map(() => '---:').join('|')}|`];
for (let T = 7; T <= 20; T++) {
  const cells = GUARANTEE_NAMES.map((name) => {
    const g = parseGuaranteeName(name);
    const cell = table[`${T}:${name}`];
    if (!g || !cell || !verifyWheel(T, cell.tickets, g).held) throw new Error(`${T}:${name} missing or not holding`);
    const peer = PEER_SIZES[name]?.[T];
    const lb = lowerBound({ size: T, match: g.match, if: g.if, fixedMask: 0 });
    const parts = [`**${cell.tickets.length}**`];
    if (cell.proven) parts.push('min');
    if (peer !== undefined) parts.push(`peer ${peer}`);
    else if (!cell.proven) parts.push(`≥${lb}`);
    return parts.join(' · ');
  });
  lines.push(`| ${T} | ${cells.join(' | ')} |`);
}
console.log(lines.join('\n'));
