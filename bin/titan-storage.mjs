#!/usr/bin/env node
// Registers tsx so TypeScript implementation modules (and this package's sources) load directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../conformance/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
