import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Installs the pinned codex and Claude Code the e2e tests run (first run only) and puts them on PATH.
    globalSetup: ['test/peers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // e2e tests spawn real daemons; keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
