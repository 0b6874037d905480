/** A vitest test file that registers the suite for the module named by the CLI (used by --coverage). */
import { pathToFileURL } from 'node:url';
import { registerSuite } from '../index.js';
import { implementationProblem, type Implementation } from '../../spec/contract.js';

// The run options arrive as the variables of conformance/options.ts, which registerSuite reads.
const modulePath = process.env.TITAN_STORAGE_MODULE;
if (!modulePath) throw new Error('TITAN_STORAGE_MODULE is not set');
const mod = (await import(pathToFileURL(modulePath).href)) as { default: Implementation };
const problem = implementationProblem(mod.default);
if (problem) throw new Error(`${modulePath}: ${problem}`);
registerSuite(mod.default, {
  modulePath,
  only: process.env.TITAN_STORAGE_ONLY ? process.env.TITAN_STORAGE_ONLY.split(',') : [],
});
