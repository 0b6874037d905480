/**
 * The shell command that serves an implementation module over the driver protocol in a fresh
 * Node process: `driverImplementation(hostCommand('reference/file.ts'))`.
 */
import { resolve } from 'node:path';
import { entryPath, loaderArgs } from '../entries.js';

/** Quote one word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `node [--import <tsx>] <host entry> <module>`, with absolute paths so it runs from any cwd. */
export function hostCommand(modulePath: string): string {
  return [process.execPath, ...loaderArgs(modulePath), entryPath('host'), resolve(modulePath)].map(shellQuote).join(' ');
}
