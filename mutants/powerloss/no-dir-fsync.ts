// Bug: fsyncs the new file but not the directory after renaming it into place: the rename (the directory
// entry) may be lost in a power cut, bringing back the previous file or none. Caught by: CRASH-POWERLOSS.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation } from '../../spec/contract.js';
import { openFileStorage } from '../../reference/file.js';

function writeWithoutDirSync(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name)); // BUG: no fsync of the directory afterwards
}

const mutant: Implementation = {
  name: 'mutant/powerloss/no-dir-fsync',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir, writeWithoutDirSync),
};
export default mutant;
