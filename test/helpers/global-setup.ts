/**
 * Scratch space of the whole test run, and the build the CLI runs from. Stores are written on tmpfs where the machine
 * has one (/dev/shm): the tests exercise fsync as a system call (the power-loss checks read it from a strace
 * recording), they do not need it to reach a disk, and a disk makes every durable store's test wait on it. Every child
 * process inherits TMPDIR; the folder is removed at the end, with whatever a crashed process left in it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import config from '../../tsup.config.js';
import { startWithoutWaste } from './run-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The CLI the tests start (bin/titan-storage.mjs) runs this run's build of the checkout, laid out as an installed
 * package: from sources, every CLI, worker and host process loads and transforms them through tsx, 2–3 s of CPU per
 * `check`, dozens of times per run. Built from the sources at every start, so a test never meets a stale build.
 */
async function buildPackage(scratch: string): Promise<string> {
  const pkg = join(scratch, 'titan-storage-build');
  mkdirSync(pkg);
  for (const f of ['package.json', 'spec', 'node_modules']) symlinkSync(join(ROOT, f), join(pkg, f));
  await build({ ...config, config: false, dts: false, clean: false, silent: true, outDir: join(pkg, 'dist') });
  return pkg;
}

export default async function setup(): Promise<() => void> {
  const saved: NodeJS.ProcessEnv = { TMPDIR: process.env.TMPDIR, TITAN_STORAGE_BUILD: process.env.TITAN_STORAGE_BUILD };
  const dir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'titan-tests-')) : mkdtempSync(join(tmpdir(), 'titan-tests-'));
  Object.assign(saved, startWithoutWaste(dir));
  process.env.TMPDIR = dir;
  process.env.TITAN_STORAGE_BUILD = await buildPackage(dir);
  return () => {
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
