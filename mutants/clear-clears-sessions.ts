// Bug: ls.clear() also wipes every session (one "clear everything" routine for both namespaces).
// Caught by: LS-CLEAR (also ISO-LS-SESSION).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/clear-clears-sessions', ({ ls, sessions }) => ({
  ls: {
    clear: () => {
      ls.clear();
      sessions.clear(); // BUG: sessions are a separate namespace
    },
  },
}));
