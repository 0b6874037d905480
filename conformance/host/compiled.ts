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
import { prebuild, type Prebuilt } from '../prebuild.js';
import { hostCommand } from './command.js';

let dir: string | undefined;
/** By path and modification time (and whether the host entry is compiled with it), so an edited module is compiled again. */
const builds = new Map<string, Promise<Prebuilt>>();

function compiled(modulePath: string, host: boolean): Promise<Prebuilt> {
  const key = `${resolve(modulePath)}@${statSync(modulePath).mtimeMs}${host ? '+host' : ''}`;
  let built = builds.get(key);
  if (!built) builds.set(key, (built = prebuild(modulePath, mkdtempSync(join(scratch(), 'm-')), { host })));
  return built;
}

function scratch(): string {
  if (dir) return dir;
  const made = mkdtempSync(join(tmpdir(), 'titan-storage-compiled-'));
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  return (dir = made);
}

/** `hostCommand(modulePath)`, serving the module's compiled form when it compiles. */
export async function compiledHostCommand(modulePath: string): Promise<string> {
  if (!needsTypeScriptLoader(modulePath)) return hostCommand(modulePath);
  const p = await compiled(modulePath, true);
  return hostCommand(p.module, p.host);
}

/** The module as one JavaScript file any thread imports without a TypeScript loader; the source when it does not compile. */
export async function compiledModule(modulePath: string): Promise<string> {
  return needsTypeScriptLoader(modulePath) ? (await compiled(modulePath, false)).module : modulePath;
}
