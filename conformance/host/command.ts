/**
 * The shell command that serves an implementation module over the driver protocol in a fresh
 * Node process: `driverImplementation(hostCommand('reference/file.ts'))`.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

/** Quote one word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `node --import <tsx> conformance/host/serve.ts <module>`, with absolute paths so it runs from any cwd. */
export function hostCommand(modulePath: string): string {
  // tsx resolved from this package, so the command does not depend on the cwd's node_modules.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [process.execPath, '--import', tsx, SERVE, resolve(modulePath)].map(shellQuote).join(' ');
}
