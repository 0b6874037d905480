// Bug: arguments are converted with a bare String(x), which accepts a Symbol as "Symbol(x)" instead of
// rejecting it with a TypeError. Caught by: VAL-REJECT.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage } from '../reference/memory.js';

const toText = (x: unknown): string => String(x); // BUG: must reject Symbols with a TypeError

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toText(key)) ?? null,
      set: (key, value) => {
        const k = toText(key);
        ls.set(k, toText(value));
      },
      remove: (key) => void ls.delete(toText(key)),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/symbol-accepted', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
