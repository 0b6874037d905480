// Bug: values are handled as C strings, so a value is cut at its first "\0".
// Caught by: STR-ROUNDTRIP.
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../../reference/memory.js';

/** Mimics passing the value through a NUL-terminated C string. BUG: JavaScript strings may contain "\0". */
const encodeValue = (v: string): string => {
  const nul = v.indexOf('\0');
  return nul === -1 ? v : v.slice(0, nul);
};

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

const mutant: Implementation = { name: 'mutant/nul-truncates', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
