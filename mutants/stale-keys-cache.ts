// Bug: ls.keys() is cached and the cache is invalidated by set and clear but not by remove, so removed keys
// are still listed. Caught by: LS-KEYS-SET (and SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/stale-keys-cache', ({ ls }) => {
  let keysCache: string[] | null = null;
  return {
    ls: {
      set: (key, value) => {
        ls.set(key, value);
        keysCache = null;
      },
      // BUG: remove keeps the core's, which forgets `keysCache = null`
      clear: () => {
        ls.clear();
        keysCache = null;
      },
      keys: () => [...(keysCache ??= Array.from(ls.keys()))],
    },
  };
});
