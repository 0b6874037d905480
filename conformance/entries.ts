/**
 * Where this package's own entry files are, run from sources (a checkout, through tsx) or from the
 * build (`dist/`, bundled by tsup, which defines TITAN_STORAGE_BUNDLE). Every process and thread the
 * suite starts is located here, so the two layouts differ in this file only.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

declare const TITAN_STORAGE_BUNDLE: boolean | undefined;
export const BUNDLED = typeof TITAN_STORAGE_BUNDLE !== 'undefined' && TITAN_STORAGE_BUNDLE;

/** `conformance/entries.ts` and `dist/<bundle>.js` both sit one folder below the package root. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

const ENTRIES = {
  /** The supervised child process that runs checks. */
  'cli-worker': { source: 'conformance/cli/worker.ts', dist: 'dist/cli-worker.js' },
  /** Serves an implementation module over the driver protocol. */
  host: { source: 'conformance/host/serve.ts', dist: 'dist/host.js' },
  /** One worker-thread isolate of the sharing checks (plain JavaScript in both layouts). */
  'isolate-worker': { source: 'conformance/isolates/worker.mjs', dist: 'dist/isolate-worker.js' },
  /** The vitest file `--coverage` runs. */
  'suite-entry': { source: 'conformance/vitest/suite.entry.ts', dist: 'dist/suite-entry.js' },
} as const;

export type EntryName = keyof typeof ENTRIES;

export function entryPath(name: EntryName): string {
  return fileURLToPath(new URL(BUNDLED ? ENTRIES[name].dist : ENTRIES[name].source, pathToFileURL(PACKAGE_ROOT)));
}

/** Whether a module needs a TypeScript loader. */
export const needsTypeScriptLoader = (modulePath: string): boolean => /\.(c|m)?tsx?$/.test(modulePath);

/**
 * Node options that let a child load `modulePath`: tsx for TypeScript (and for this package's own
 * sources when not built). tsx is an optional peer dependency, so its absence is a clear error.
 */
export function loaderArgs(modulePath: string | undefined): string[] {
  if (BUNDLED && (modulePath === undefined || !needsTypeScriptLoader(modulePath))) return [];
  return ['--import', tsxUrl()];
}

export class MissingPackageError extends Error {}

export function tsxUrl(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    throw new MissingPackageError('checking a TypeScript module needs tsx: install it next to titan-storage-spec (npm install --save-dev tsx)');
  }
}

/** Loads an optional dependency, naming the package to install when it is missing. */
export async function optionalImport<T>(pkg: string, what: string): Promise<T> {
  try {
    return (await import(pkg)) as T;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || (e as { code?: string }).code === 'MODULE_NOT_FOUND') {
      throw new MissingPackageError(`${what} needs the package ${pkg}: npm install --save-dev ${pkg}`);
    }
    throw e;
  }
}
