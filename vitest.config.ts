import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep native modules (better-sqlite3, tfjs wasm) isolated per file.
    pool: 'forks',
  },
});
