/**
 * Run a TypeScript entry of this repository compiled once, not transformed by tsx in every process:
 *   node adapters/compiled-entry.mjs <entry.ts> [args…]
 * A driver process starts per store open (a gate starts hundreds); through tsx each spent ~1 s of CPU loading
 * its sources. The entry and its own files are bundled by esbuild into .cache/compiled-entries/ and rebuilt
 * when any of them changes (their modification times are kept beside the bundle); packages stay imports.
 * The entry sees the argv it would have had: [node, <entry.ts>, args…].
 */
import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stamp, unchanged, writeAtomically } from '../bin/checkout-build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(process.argv[2] ?? '');
if (!process.argv[2] || !entry.endsWith('.ts')) {
  console.error('usage: node adapters/compiled-entry.mjs <entry.ts> [args…]');
  process.exit(2);
}
const dir = join(ROOT, '.cache', 'compiled-entries', entry.slice(ROOT.length + 1).replace(/[/\\]/g, '__'));
const bundle = join(dir, `${basename(entry, '.ts')}.mjs`);
const inputsFile = join(dir, 'inputs.json');

function fresh() {
  try {
    statSync(bundle);
    return unchanged(JSON.parse(readFileSync(inputsFile, 'utf8')));
  } catch {
    return false;
  }
}

async function compile() {
  const { build } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  // Unique names, renamed into place: drivers started side by side may compile at the same moment.
  const tmp = `${bundle}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [entry], outfile: tmp, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', metafile: true, logLevel: 'error',
    plugins: [{
      // Files that locate others relative to themselves keep their own location in the bundle.
      name: 'keep-import-meta',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          const url = JSON.stringify(pathToFileURL(args.path).href);
          return { contents: source.replace(/\bimport\.meta\.url\b/g, url).replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path))), loader: 'ts' };
        });
      },
    }],
  });
  renameSync(tmp, bundle);
  writeAtomically(inputsFile, JSON.stringify(stamp(Object.keys(result.metafile.inputs))));
}

if (!fresh()) await compile();
process.argv.splice(1, 2, entry);
await import(pathToFileURL(bundle).href);
