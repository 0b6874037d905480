#!/usr/bin/env node
// In a checkout the sources run through tsx; an installed package runs its build (dist/), which needs
// tsx only to load a TypeScript implementation module.
import { existsSync } from 'node:fs';

const sources = new URL('../conformance/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv.slice(2));
