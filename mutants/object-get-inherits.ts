// Bug: local storage is a plain `{}` object read with `store[key] ?? null`: a key named like an Object.prototype member
// that was never set reads back the inherited member (`ls.get("toString")` returns a function, "__proto__" returns
// Object.prototype). Writes go through defineProperty and reads of set keys are right. Caught by: STR-PROTO-NAMES.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/object-get-inherits', () => {
  let store: Record<string, string> = {};
  const own = (key: string) => Object.hasOwn(store, key);
  return {
    ls: {
      get: (key) => store[key] ?? null, // BUG: inherited members count as present; must test Object.hasOwn first
      set: (key, value) => void Object.defineProperty(store, key, { value, writable: true, enumerable: true, configurable: true }),
      remove: (key) => void (own(key) && delete store[key]),
      clear: () => void (store = {}),
      keys: () => Object.keys(store),
    },
  };
});
