/**
 * The command that hosts a module, with the module compiled once per process (conformance/prebuild.ts)
 * for every host it starts: the runner in a test run or a registerSuite project restarts hosts dozens
 * of times per check, and each would otherwise load tsx and compile the module again. Worker threads
 * that import a module get the same compiled file (`compiledModule`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { needsTypeScriptLoader } from '../entries.js';
import { prebuildHost, prebuildModule } from '../prebuild.js';
import { hostCommand } from './command.js';

let dir: string | undefined;
/** By path and modification time, so an edited module is compiled again. */
const builds = new Map<string, Promise<string>>();
/** The host entry does not depend on the module: compiled once per process. */
let host: Promise<string | undefined> | undefined;

function scratch(): string {
  if (dir) return dir;
  const made = mkdtempSync(join(tmpdir(), 'titan-storage-compiled-'));
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  return (dir = made);
}

/** `hostCommand(modulePath)`, serving the module's compiled form when it compiles. */
export async function compiledHostCommand(modulePath: string): Promise<string> {
  const module = await compiledModule(modulePath);
  // A module served as it is (JavaScript, or TypeScript that did not compile) keeps hostCommand's own choice of host.
  return hostCommand(module, module === modulePath ? undefined : await (host ??= prebuildHost(mkdtempSync(join(scratch(), 'h-')))));
}

/** The module as one JavaScript file any process or thread imports without a TypeScript loader; the source when it does not compile. */
export async function compiledModule(modulePath: string): Promise<string> {
  if (!needsTypeScriptLoader(modulePath)) return modulePath;
  const key = `${resolve(modulePath)}@${statSync(modulePath).mtimeMs}`;
  let built = builds.get(key);
  if (!built) builds.set(key, (built = prebuildModule(modulePath, mkdtempSync(join(scratch(), 'm-'))).then((p) => p.module)));
  return built;
}
