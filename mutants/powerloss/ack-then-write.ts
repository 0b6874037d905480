// Bug: acknowledges each write at once and writes the files a moment later (a 200 ms write-behind timer, through a
// module-level queue per directory that the next open() of that directory waits for), and never fsyncs. A restart in
// the same process keeps everything; a power cut keeps nothing that was acknowledged. Caught by: CRASH-POWERLOSS, once
// the recording lets the store's later writes happen (inline and through --isolation process).
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Implementation, Storage } from '../../spec/contract.js';
import { openFileStorage } from '../../reference/file.js';

const DELAY_MS = 200;
/** Per directory: the writes still to come. */
const pendingWrites = new Map<string, Promise<void>>();

function open(dir: string): Storage {
  const latest = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let done!: () => void;
  const flush = async () => {
    timer = undefined;
    const batch = [...latest];
    latest.clear();
    for (const [name, text] of batch) {
      await writeFile(join(dir, `.${name}.tmp`), text); // BUG: no fsync of the file
      await rename(join(dir, `.${name}.tmp`), join(dir, name)); // BUG: nor of the directory
    }
  };
  const store = openFileStorage(dir, (_dir, name, text) => {
    // BUG: the caller is acknowledged before the data is written.
    latest.set(name, text);
    if (timer) return;
    pendingWrites.set(dir, new Promise<void>((r) => (done = r)));
    // A directory removed before the write (a check's scratch store, gone after it) has nothing to write to: not this mutant's bug.
    timer = setTimeout(() => void flush().catch(() => {}).finally(() => done()), DELAY_MS);
  });
  return { ...store, close: () => {} };
}

const mutant: Implementation = {
  name: 'mutant/powerloss/ack-then-write',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: async ({ dir }) => {
    await pendingWrites.get(dir);
    return open(dir);
  },
};
export default mutant;
