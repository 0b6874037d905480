// The published build: one bundle per process or thread the suite starts (their paths are in
// conformance/entries.ts), plus the library entries with bundled type declarations.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    cli: 'conformance/cli/main.ts',
    'cli-worker': 'conformance/cli/worker.ts',
    host: 'conformance/host/serve.ts',
    'isolate-worker': 'conformance/isolates/worker.mjs',
    'suite-entry': 'conformance/vitest/suite.entry.ts',
    index: 'conformance/index.ts',
    contract: 'spec/contract.ts',
    model: 'spec/model.ts',
  },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  clean: true,
  outDir: 'dist',
  dts: { entry: { index: 'conformance/index.ts', contract: 'spec/contract.ts', model: 'spec/model.ts' } },
  define: { TITAN_STORAGE_BUNDLE: 'true' },
  // Peers and optional packages stay imports, resolved from the implementer's project (esbuild comes with tsx).
  external: ['esbuild', 'fast-check', 'vitest', 'vitest/node', '@vitest/coverage-v8', 'tsx', 'tsx/esm/api', 'tsx/cjs/api'],
});
