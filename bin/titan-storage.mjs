#!/usr/bin/env node
// An installed package runs its build (dist/), which needs tsx only to load a TypeScript implementation module; a
// checkout runs a build of its sources kept in .cache/ (bin/checkout-build.mjs).
// TITAN_STORAGE_BUILD names a build laid out as the installed package (the test suite's, test/helpers/global-setup.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const sources = new URL('../conformance/cli/main.ts', import.meta.url);
let main;
if (process.env.TITAN_STORAGE_BUILD) {
  ({ main } = await import(pathToFileURL(join(process.env.TITAN_STORAGE_BUILD, 'dist/cli.js')).href));
} else if (existsSync(sources)) {
  // A checkout runs its own build (bin/checkout-build.mjs), made again when a source changed; the sources through tsx
  // when it cannot be made.
  const { checkoutBuild } = await import('./checkout-build.mjs');
  const build = await checkoutBuild().catch(() => null);
  if (build) ({ main } = await import(pathToFileURL(join(build, 'dist/cli.js')).href));
  else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import(sources.href));
  }
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv.slice(2));
