// The library entry as an implementer uses it: the whole suite registered in their own vitest run.
import { fileURLToPath } from 'node:url';
import { registerSuite } from '../../conformance/index.js';
import memory from '../../reference/memory.js';

registerSuite(memory, { modulePath: fileURLToPath(new URL('../../reference/memory.ts', import.meta.url)), seed: 20261125, runs: 30 });
