// Bug: set validates the value with String() but stores the original, so set("n", 1) then get("n") returns the
// number 1, not "1". Caught by: VAL-COERCE (or API-RESULT-TYPE when the harness checks the type first).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, unknown>();
  return {
    session,
    ls: {
      get: (key) => (ls.get(toStorageString(key, 'key')) ?? null) as string | null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        toStorageString(value, 'value'); // validated...
        ls.set(k, value); // BUG: ...but the unconverted value is stored
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()) as string[],
    },
  };
}

const mutant: Implementation = { name: 'mutant/no-coerce', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
