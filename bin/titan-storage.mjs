#!/usr/bin/env node
// In a checkout the sources run through tsx; an installed package runs its build (dist/), which needs
// tsx only to load a TypeScript implementation module.
// TITAN_STORAGE_BUILD names a build laid out as the installed package (the test suite's, test/helpers/global-setup.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const sources = new URL('../conformance/cli/main.ts', import.meta.url);
let main;
if (process.env.TITAN_STORAGE_BUILD) {
  ({ main } = await import(pathToFileURL(join(process.env.TITAN_STORAGE_BUILD, 'dist/cli.js')).href));
} else if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv.slice(2));
