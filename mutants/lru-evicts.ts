// Bug: local storage is an LRU cache bounded at 500 entries: entry 501 silently evicts the least recently used.
// Caught by: LS-MANY-ENTRIES (also SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

const BOUND = 500;

export default memoryMutant('mutant/lru-evicts', ({ ls }) => ({
  ls: {
    get: (key) => {
      const v = ls.get(key);
      if (v === undefined) return null;
      ls.delete(key);
      ls.set(key, v);
      return v;
    },
    set: (key, value) => {
      ls.delete(key);
      ls.set(key, value);
      if (ls.size > BOUND) ls.delete(ls.keys().next().value!); // BUG: storage must not evict
    },
  },
}));
