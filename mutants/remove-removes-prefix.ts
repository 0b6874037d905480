// Bug: ls.remove(key) deletes every key that starts with `key` (meant to drop "child" keys like "user:1" with
// "user"), so removing "a" also removes "ab". Caught by: LS-REMOVE.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => {
        const k = toStorageString(key, 'key');
        for (const other of [...ls.keys()]) if (other.startsWith(k)) ls.delete(other); // BUG: should be `other === k`
      },
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/remove-removes-prefix', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
