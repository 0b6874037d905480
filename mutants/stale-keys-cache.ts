// Bug: ls.keys() is cached and the cache is invalidated by set and clear but not by remove, so removed keys
// are still listed. Caught by: LS-KEYS-SET (and SEQ-MODEL).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  let keysCache: string[] | null = null;
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
        keysCache = null;
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')), // BUG: forgets `keysCache = null`
      clear: () => {
        ls.clear();
        keysCache = null;
      },
      keys: () => [...(keysCache ??= Array.from(ls.keys()))],
    },
  };
}

const mutant: Implementation = { name: 'mutant/stale-keys-cache', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
