import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Concurrent tests each start CLI processes; the machine has 2 cores.
    maxConcurrency: 2,
    coverage: {
      provider: 'v8',
      include: ['spec/**/*.ts', 'reference/**/*.ts', 'conformance/**/*.ts'],
      exclude: ['conformance/mutants/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
