/**
 * Scratch space of the whole test run. Stores are written on tmpfs where the machine has one (/dev/shm): the tests
 * exercise fsync as a system call (the power-loss checks read it from a strace recording), they do not need it to
 * reach a disk, and a disk makes every durable store's test wait on it. Every child process inherits TMPDIR; the
 * folder is removed at the end, with whatever a crashed process left in it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default function setup(): () => void {
  if (!existsSync('/dev/shm')) return () => {};
  const dir = mkdtempSync(join('/dev/shm', 'titan-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
