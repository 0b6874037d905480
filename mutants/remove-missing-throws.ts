// Bug: ls.remove of a key that is not present throws "no such key" instead of doing nothing.
// Caught by: LS-REMOVE-MISSING (also API-NO-THROW).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/remove-missing-throws', ({ ls }) => ({
  ls: {
    remove: (key) => {
      if (!ls.delete(key)) throw new Error(`no such key: ${key}`); // BUG: removing a missing key is a no-op
    },
  },
}));
