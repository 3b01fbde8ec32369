// Two tiers: fast pure tests (unit) and tests against real QEMU (integration).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A bound on hangs, not on speed: the heaviest cases (a 100000-deep YAML) cost 1.6 s of
          // CPU and took 20 s on a machine shared with other jobs; vitest's default is 5 s.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Real QEMU under TCG on a 2-core machine: boots take seconds, never run them in parallel.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 600_000,
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
    ],
  },
});
