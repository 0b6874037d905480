/**
 * Scratch space of the whole test run, and the build the CLI runs from. Stores are written on tmpfs where the machine
 * has one (/dev/shm): the tests exercise fsync as a system call (the power-loss checks read it from a strace
 * recording), they do not need it to reach a disk, and a disk makes every durable store's test wait on it. Every child
 * process inherits TMPDIR; the folder is removed at the end, with whatever a crashed process left in it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutBuild } from '../../bin/checkout-build.mjs';
import { startWithoutWaste } from './run-env.js';

/**
 * The CLI the tests start (bin/titan-storage.mjs) runs the checkout's build, laid out as an installed package
 * (bin/checkout-build.mjs): from sources, every CLI, worker and host process loads and transforms them through tsx,
 * 2–3 s of CPU per `check`, dozens of times per run. It is made again when a source changed, so a test never meets a
 * stale build; a build that fails fails the run.
 */
export default async function setup(): Promise<() => void> {
  const saved: NodeJS.ProcessEnv = { TMPDIR: process.env.TMPDIR, TITAN_STORAGE_BUILD: process.env.TITAN_STORAGE_BUILD };
  const dir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'titan-tests-')) : mkdtempSync(join(tmpdir(), 'titan-tests-'));
  Object.assign(saved, startWithoutWaste(dir));
  process.env.TMPDIR = dir;
  process.env.TITAN_STORAGE_BUILD = await checkoutBuild();
  return () => {
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
