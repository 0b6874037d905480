// Bug: an insertion-ordered key index appends the key on every set, even when the key already exists, so
// overwriting a key makes ls.keys() list it twice. Caught by: LS-KEYS-SET (also SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/keys-duplicates', ({ ls }) => {
  let order: string[] = [];
  return {
    ls: {
      set: (key, value) => {
        ls.set(key, value);
        order.push(key); // BUG: only a new key belongs at the end of the index
      },
      remove: (key) => {
        if (ls.delete(key)) order = order.filter((other) => other !== key);
      },
      clear: () => {
        ls.clear();
        order = [];
      },
      keys: () => [...order],
    },
  };
});
