// Bug: local storage is a plain `{}` object (`store[key] = value`): assigning a string to "__proto__" is silently
// ignored, so that key can never be stored or listed. Caught by: STR-PROTO-NAMES.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/object-backed', () => {
  let store: Record<string, string> = {}; // BUG: should be a Map (or Object.create(null) with care)
  return {
    ls: {
      // hasOwn keeps inherited names like "constructor" from leaking out; "__proto__" is still lost on set.
      get: (key) => (Object.hasOwn(store, key) ? store[key]! : null),
      set: (key, value) => void (store[key] = value),
      remove: (key) => void delete store[key],
      clear: () => void (store = {}),
      keys: () => Object.keys(store),
    },
  };
});
