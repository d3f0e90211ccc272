import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Tests that start the real binary take seconds each; on a shared, loaded machine, many more.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
