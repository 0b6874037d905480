// Bug: values are stored as UTF-8 bytes (as a native store would), so lone surrogates come back as U+FFFD.
// Caught by: STR-ROUNDTRIP.
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../../reference/memory.js';

/** Values are kept as UTF-8 bytes to halve memory for ASCII. BUG: a lone surrogate has no UTF-8 form and becomes U+FFFD. */
const encodeValue = (v: string): string => Buffer.from(v, 'utf8').toString('utf8');

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

const mutant: Implementation = { name: 'mutant/utf8-lossy', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
