import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs in-process (pure functions, `app.request()`, loopback fakes) and takes
 * seconds; `e2e` is every `*.e2e.test.ts`, the tests that spawn processes (the built binary and
 * daemon, codex or its fake, claude, shells, tmux, npm) and so need `node build.mjs` first. They live in
 * test/unit/ and test/e2e/ (test/hostile/ holds both kinds); the suffix, not the folder, picks the project, so a
 * process-spawning test can never run as a unit test.
 */
const E2E = ['test/**/*.e2e.test.ts', 'test/**/*.e2e.test.tsx'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // e2e tests spawn real daemons; keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: E2E },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // Installs the pinned codex and Claude Code the e2e tests run (first run only) and puts them on PATH.
          globalSetup: ['test/peers/globalSetup.ts'],
        },
      },
    ],
  },
});
