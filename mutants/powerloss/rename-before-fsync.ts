// Bug: renames the new file over the old one before fsyncing it (then fsyncs the file and the directory, so
// every acknowledged write is durable): a power cut between the rename and the fsync may leave the new name on
// a file whose data never reached the disk, an empty file that loses the whole store. Caught by: CRASH-POWERLOSS.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation } from '../../spec/contract.js';
import { openFileStorage } from '../../reference/file.js';

function renameThenSync(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    renameSync(tmp, join(dir, name)); // BUG: the rename is published before the data is durable
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

const mutant: Implementation = {
  name: 'mutant/powerloss/rename-before-fsync',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir, renameThenSync),
};
export default mutant;
