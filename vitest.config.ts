import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['spec/**/*.ts', 'reference/**/*.ts', 'conformance/**/*.ts'],
      exclude: ['conformance/mutants/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
