/** Loading an implementation module (or a driver) and refusing what is not an Implementation. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { implementationProblem, type Implementation } from '../../spec/contract.js';

/** Why loading failed: the CLI exits 2 with this message. */
export class LoadError extends Error {}

/** `shownAs` names the module in messages when `modulePath` is its compiled form. */
export async function loadImplementation(modulePath: string, shownAs = modulePath): Promise<Implementation> {
  const abs = resolve(modulePath);
  if (!existsSync(abs)) throw new LoadError(`module not found: ${shownAs}`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    throw new LoadError(`cannot load ${shownAs}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = implementationProblem(mod.default);
  if (problem) throw new LoadError(`${shownAs} is not an Implementation: ${problem}`);
  return mod.default as Implementation;
}
