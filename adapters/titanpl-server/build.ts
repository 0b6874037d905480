/**
 * Build the TitanPL app of adapters/titanpl-server/app with titanpl 7.0.1's own bundler
 * (@titanpl/packet, esbuild) into .cache/titanpl-server/app/dist, and install @titanpl/core 3.0.7
 * as an extension where the 7.0.1 engine looks (dist/node_modules/@titanpl/core):
 * its index.js unchanged, its libtitan_core.so with the weak glibc-version fix, and a titan.json
 * in the shape the engine reads (the package's own one lists no functions, so the engine skips it).
 * Every other library of libraries.ts whose .so is built gets a copy of the dist with its own
 * extension (scripts/build-titanpl-native.sh installs them with --libraries).
 *   node --import tsx adapters/titanpl-server/build.ts [--libraries before after]
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeWeakenedCopy } from '../titanpl-core/elf-weaken.js';
import { LIBRARIES, serverLibrary, type ServerLibrary } from './libraries.js';
import { PATHS } from './paths.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function need(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
}

export async function buildApp(): Promise<string> {
  need(PATHS.packet, 'run scripts/fetch-titanpl-server.sh');
  need(PATHS.coreSo, 'run scripts/fetch-titanpl-core.sh');
  need(join(PATHS.tools, 'node_modules/esbuild'), 'run scripts/fetch-titanpl-server.sh (installs esbuild@0.27.2)');
  const app = PATHS.app;
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, 'node_modules/@titanpl'), { recursive: true });
  cpSync(join(HERE, 'app'), join(app, 'app'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'titan-storage-spec-app', private: true, type: 'module' }));
  // What `npm install` would put there: the route helper, and esbuild for the bundler.
  symlinkSync(resolve(PATHS.titanpl, 'packages/route'), join(app, 'node_modules/@titanpl/route'));
  symlinkSync(resolve(PATHS.tools, 'node_modules/esbuild'), join(app, 'node_modules/esbuild'));
  const packet = (await import(pathToFileURL(PATHS.packet).href)) as { build(root: string): Promise<string> };
  const dist = await packet.build(app);
  for (const lib of Object.values(LIBRARIES)) if (lib.dist === dist || existsSync(lib.so)) installLibrary(lib);
  return dist;
}

/**
 * Put `lib` into its app dist as the extension @titanpl/core: its index.js, titan.json and .so (as libtitan_core.so).
 * A copy of the dist is assembled beside it and swapped in with renames, so a server starting meanwhile sees a whole one.
 */
export function installLibrary(lib: ServerLibrary): void {
  need(lib.so, lib.obtain);
  need(PATHS.dist, 'run scripts/fetch-titanpl-server.sh');
  const own = lib.dist !== PATHS.dist;
  const dist = own ? `${lib.dist}.new-${process.pid}` : lib.dist;
  if (own) {
    rmSync(dist, { recursive: true, force: true });
    cpSync(PATHS.dist, dist, { recursive: true, filter: (src) => !src.startsWith(join(PATHS.dist, 'node_modules/@titanpl/core')) });
  }
  const ext = join(dist, 'node_modules/@titanpl/core');
  rmSync(ext, { recursive: true, force: true });
  mkdirSync(ext, { recursive: true });
  cpSync(lib.indexJs, join(ext, 'index.js'));
  cpSync(lib.titanJson, join(ext, 'titan.json'));
  if (lib.weakenGlibc) writeWeakenedCopy(lib.so, join(ext, 'libtitan_core.so'), 'GLIBC_2.39');
  else cpSync(lib.so, join(ext, 'libtitan_core.so'));
  if (own) {
    const old = `${lib.dist}.old-${process.pid}`;
    if (existsSync(lib.dist)) renameSync(lib.dist, old);
    renameSync(dist, lib.dist);
    rmSync(old, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--libraries');
  if (i < 0) console.log(`built ${await buildApp()}`);
  for (const name of i < 0 ? [] : process.argv.slice(i + 1)) {
    const lib = serverLibrary(name);
    installLibrary(lib);
    console.log(`installed ${lib.name} into ${lib.extensionDir}`);
  }
}
