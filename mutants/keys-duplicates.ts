// Bug: an insertion-ordered key index appends the key on every set, even when the key already exists, so
// overwriting a key makes ls.keys() list it twice. Caught by: LS-KEYS-SET (also SEQ-MODEL).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  let order: string[] = [];
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
        order.push(k); // BUG: only a new key belongs at the end of the index
      },
      remove: (key) => {
        const k = toStorageString(key, 'key');
        if (ls.delete(k)) order = order.filter((other) => other !== k);
      },
      clear: () => {
        ls.clear();
        order = [];
      },
      keys: () => [...order],
    },
  };
}

const mutant: Implementation = { name: 'mutant/keys-duplicates', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
