/**
 * The shell command that serves an implementation module over the driver protocol in a fresh
 * Node process: `driverImplementation(hostCommand('reference/file.ts'))`.
 */
import { resolve } from 'node:path';
import { entryPath, loaderArgs, needsTypeScriptLoader } from '../entries.js';

/** Quote one word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

let prebuiltHost: string | undefined;

/** The run's compiled host entry (conformance/prebuild.ts): JavaScript modules are then served without a loader. */
export function usePrebuiltHost(path: string | undefined): void {
  prebuiltHost = path;
}

/** `node [--import <tsx>] <host entry> <module>`, with absolute paths so it runs from any cwd. */
export function hostCommand(modulePath: string, compiledHost = prebuiltHost): string {
  const host = compiledHost && !needsTypeScriptLoader(modulePath) ? [compiledHost] : [...loaderArgs(modulePath), entryPath('host')];
  return [process.execPath, ...host, resolve(modulePath)].map(shellQuote).join(' ');
}
