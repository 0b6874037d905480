// Bug: an append-only log (one JSON line per write, replayed on open; a torn last line is ignored) whose appends
// are never fsynced. The log file itself is created durably (fsync of the file and the directory at open), so
// what a power cut loses is exactly the unsynced appends. Caught by: CRASH-POWERLOSS.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage } from '../../reference/memory.js';

type Entry = [op: string, ...args: string[]];

function replay(store: Storage, text: string): void {
  for (const line of text.split('\n')) {
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
    } catch {
      continue; // the torn tail of the last append
    }
    const [op, ...args] = entry;
    const [ns, method] = op.split('.') as ['ls' | 'session', string];
    (store[ns] as unknown as Record<string, (...a: string[]) => unknown>)[method]!(...args);
  }
}

function open({ dir }: { dir: string }): Storage {
  const path = join(dir, 'titan.log');
  const memory = createMemoryStorage();
  let existing = '';
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    /* a fresh store */
  }
  replay(memory, existing);
  const fd = openSync(path, 'a');
  fsyncSync(fd);
  const dfd = openSync(dir, 'r');
  fsyncSync(dfd);
  closeSync(dfd);
  const append = (...entry: Entry) => {
    writeSync(fd, `${JSON.stringify(entry)}\n`); // BUG: no fsync(fd) before acknowledging
  };
  return {
    ls: {
      ...memory.ls,
      set: (k, v) => (memory.ls.set(k, v), append('ls.set', String(k), String(v))),
      remove: (k) => (memory.ls.remove(k), append('ls.remove', String(k))),
      clear: () => (memory.ls.clear(), append('ls.clear')),
    },
    session: {
      ...memory.session,
      set: (id, k, v) => (memory.session.set(id, k, v), append('session.set', String(id), String(k), String(v))),
      delete: (id, k) => (memory.session.delete(id, k), append('session.delete', String(id), String(k))),
      clear: (id) => (memory.session.clear(id), append('session.clear', String(id))),
    },
    close: () => closeSync(fd),
  };
}

const mutant: Implementation = { name: 'mutant/powerloss/append-no-sync', capabilities: { persistence: 'durable', sharing: 'isolate' }, open };
export default mutant;
