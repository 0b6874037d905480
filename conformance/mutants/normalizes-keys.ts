// Bug: keys are Unicode-normalized to NFC, so "e\u0301" and "\u00e9" are one key.
// Caught by: STR-DISTINCT.
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../../reference/memory.js';

/** BUG: "cleans up" keys; distinct strings must stay distinct keys. */
const keyOf = (key: unknown) => toStorageString(key, 'key').normalize('NFC');

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(keyOf(key)) ?? null,
      set: (key, value) => {
        const k = keyOf(key);
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => void ls.delete(keyOf(key)),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/normalizes-keys', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
