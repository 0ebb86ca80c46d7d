import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep native modules (better-sqlite3, tfjs wasm) isolated per file.
    pool: 'forks',
    // Tests start from the database they build themselves; those about the embedded default and
    // the start-up training turn these back on explicitly.
    env: { HOGI_SNAPSHOT: '0', HOGI_STARTUP_TRAINING: '0' },
  },
});
