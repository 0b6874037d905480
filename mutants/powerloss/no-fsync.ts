// Bug: replaces its file atomically (temporary file, rename) but never calls fsync: the rename makes it
// crash-consistent under SIGKILL (CRASH-CONSISTENT passes), while after a power cut neither the data nor the
// rename need be on disk. Caught by: CRASH-POWERLOSS.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation } from '../../spec/contract.js';
import { openFileStorage } from '../../reference/file.js';

function writeWithoutSync(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text); // BUG: no fsync(fd)
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name)); // BUG: no fsync of the directory
}

const mutant: Implementation = {
  name: 'mutant/powerloss/no-fsync',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir, writeWithoutSync),
};
export default mutant;
