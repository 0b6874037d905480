// Bug: ls.remove(key) deletes every key that starts with `key` (meant to drop "child" keys like "user:1" with
// "user"), so removing "a" also removes "ab". Caught by: LS-REMOVE.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/remove-removes-prefix', ({ ls }) => ({
  ls: {
    remove: (key) => {
      for (const other of [...ls.keys()]) if (other.startsWith(key)) ls.delete(other); // BUG: should be `other === key`
    },
  },
}));
