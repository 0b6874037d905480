/**
 * Build the TitanPL app of adapters/titanpl-server/app with titanpl 7.0.1's own bundler
 * (@titanpl/packet, esbuild) into .cache/titanpl-server/app/dist, and install @titanpl/core 3.0.7
 * as an extension where the 7.0.1 engine looks (dist/node_modules/@titanpl/core):
 * its index.js unchanged, its libtitan_core.so with the weak glibc-version fix, and a titan.json
 * in the shape the engine reads (the package's own one lists no functions, so the engine skips it).
 *   node --import tsx adapters/titanpl-server/build.ts
 */
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeWeakenedCopy } from '../titanpl-core/elf-weaken.js';
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
  const ext = join(dist, 'node_modules/@titanpl/core');
  mkdirSync(ext, { recursive: true });
  cpSync(join(PATHS.coreDir, 'index.js'), join(ext, 'index.js'));
  cpSync(join(HERE, 'extension/titan.json'), join(ext, 'titan.json'));
  writeWeakenedCopy(PATHS.coreSo, join(ext, 'libtitan_core.so'), 'GLIBC_2.39');
  return dist;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`built ${await buildApp()}`);
}
