/**
 * A checkout's own build, laid out as the installed package, for its CLI and its test run: from sources, every CLI,
 * worker and host process loads and transforms them through tsx (a check of an in-memory store took 3.4 s from sources,
 * 2.2 s from a build). Kept in .cache/checkout-build/ and made again when a file it was built from changed (their
 * modification times are kept beside it); a build that fails leaves the caller on the sources.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE = join(ROOT, '.cache', 'checkout-build');
const LATEST = join(CACHE, 'latest.json');
/** Builds no CLI started in the last day can still be running from (a watch session keeps its build). */
const KEEP_MS = 24 * 3600_000;

/** Each file with its modification time now: what a build keeps beside it (also adapters/compiled-entry.mjs). */
export function stamp(files) {
  return Object.fromEntries(files.map((f) => [resolve(f), statSync(f).mtimeMs]));
}

/** Whether every stamped file still has its modification time (a file gone has not). */
export function unchanged(inputs) {
  try {
    return Object.entries(inputs).every(([file, mtimeMs]) => statSync(file).mtimeMs === mtimeMs);
  } catch {
    return false;
  }
}

/** `text` written under a name of this process's and renamed into place: processes side by side may write it at once. */
export function writeAtomically(path, text) {
  writeFileSync(`${path}.${process.pid}.tmp`, text);
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/** The build to run, if one is fresh: its folder (with dist/, package.json, spec/, node_modules/). */
export function freshBuild(cache = CACHE) {
  try {
    const { dir, inputs } = JSON.parse(readFileSync(join(cache, 'latest.json'), 'utf8'));
    statSync(join(dir, 'dist', 'cli.js'));
    return unchanged(inputs) ? dir : null;
  } catch {
    return null;
  }
}

/** A fresh build, made now if there is none (tsup, through tsx for its configuration). */
export async function checkoutBuild() {
  const fresh = freshBuild();
  if (fresh) return fresh;
  mkdirSync(CACHE, { recursive: true });
  // A folder per build, named once: CLIs started side by side may build at the same moment, and one still running
  // keeps the build it started from.
  const dir = join(CACHE, `b-${Date.now()}-${process.pid}`);
  mkdirSync(dir);
  for (const f of ['package.json', 'spec', 'node_modules']) symlinkSync(join(ROOT, f), join(dir, f));
  const { tsImport } = await import('tsx/esm/api');
  const { build } = await import('tsup');
  const config = (await tsImport(pathToFileURL(join(ROOT, 'tsup.config.ts')).href, import.meta.url)).default;
  // tsup reads its entries, names its outputs' extension (from the nearest package.json) and esbuild its inputs
  // relative to the working directory: the CLI may have been started anywhere.
  const entry = Object.fromEntries(Object.entries(config.entry).map(([name, file]) => [name, join(ROOT, file)]));
  const outExtension = () => ({ js: '.js' });
  await build({ ...config, entry, outExtension, config: false, dts: false, clean: false, silent: true, metafile: true, outDir: join(dir, 'dist') });
  const metafile = JSON.parse(readFileSync(join(dir, 'dist', 'metafile-esm.json'), 'utf8'));
  const inputs = stamp([...Object.keys(metafile.inputs), join(ROOT, 'tsup.config.ts'), join(ROOT, 'package.json')]);
  writeAtomically(LATEST, JSON.stringify({ dir, inputs }));
  for (const old of readdirSync(CACHE)) {
    const path = join(CACHE, old);
    try {
      if (old.startsWith('b-') && path !== dir && Date.now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another CLI removed it first.
    }
  }
  return dir;
}
