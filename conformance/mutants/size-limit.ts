// Bug: values longer than 1 MiB (2^20 code units) are silently truncated to that length.
// Caught by: STR-LARGE-VALUE.
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../../reference/memory.js';

/** A per-value cap meant to protect memory. BUG: it truncates silently instead of storing the whole value. */
const MAX_VALUE_LENGTH = 1 << 20;
const encodeValue = (v: string): string => (v.length > MAX_VALUE_LENGTH ? v.slice(0, MAX_VALUE_LENGTH) : v);

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, encodeValue(toStorageString(value, 'value')));
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/size-limit', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
