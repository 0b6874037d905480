// Bug: every 50th ls.set on a store fails with "disk full" (a periodic flush of a write buffer whose error is passed to the
// caller). Caught by: API-NO-THROW.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

const FLUSH_EVERY = 50;

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  let writes = 0;
  /** Stand-in for flushing a write buffer to a backing file that has run out of space. */
  const flush = () => {
    throw new Error('ENOSPC: disk full, flushing write buffer');
  };
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        if (++writes % FLUSH_EVERY === 0) flush(); // BUG: the flush error escapes a valid call
        ls.set(k, v);
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/throws-sometimes', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
