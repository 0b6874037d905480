// Bug: a falsy check treats "" as "no value": set(k, "") removes the key and get uses `|| null`.
// Caught by: VAL-EMPTY-STRING.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/empty-value-is-absent', ({ ls }) => ({
  ls: {
    get: (key) => ls.get(key) || null, // BUG: `||` instead of `??`
    set: (key, value) => {
      if (!value) ls.delete(key); // BUG: "" is a value, not a delete
      else ls.set(key, value);
    },
  },
}));
