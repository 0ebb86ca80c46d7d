import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOGI_USER_AGENT } from '../../src/data/sync/http.js';
import { HOGI_VERSION } from '../../src/data/version.js';
import { buildProgram } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/history.js';

describe('version', () => {
  it('is the one in package.json, for the CLI, the API and the sync client alike', () => {
    const pkg = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    expect(HOGI_VERSION).toBe(pkg.version);
    expect(buildProgram().version()).toBe(pkg.version);
    expect(HOGI_USER_AGENT).toMatch(new RegExp(`^hogi/${pkg.version.replaceAll('.', '\\.')} `));
  });
});
