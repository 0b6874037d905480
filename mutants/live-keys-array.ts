// Bug: an insertion-ordered key index is kept in an array and keys() returns that array itself, so the caller's
// array changes with later writes and mutating it corrupts later keys() results. Caught by: LS-KEYS-SNAPSHOT.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/live-keys-array', ({ ls }) => {
  const order: string[] = [];
  return {
    ls: {
      set: (key, value) => {
        if (!ls.has(key)) order.push(key);
        ls.set(key, value);
      },
      remove: (key) => {
        if (ls.delete(key)) order.splice(order.indexOf(key), 1);
      },
      clear: () => {
        ls.clear();
        order.length = 0;
      },
      keys: () => order, // BUG: should return a copy
    },
  };
});
