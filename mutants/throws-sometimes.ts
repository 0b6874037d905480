// Bug: every 50th ls.set on a store fails with "disk full" (a periodic flush of a write buffer whose error is passed to the
// caller). Caught by: API-NO-THROW.
import { memoryMutant } from './support/memory-mutant.js';

const FLUSH_EVERY = 50;

/** Stand-in for flushing a write buffer to a backing file that has run out of space. */
const flush = () => {
  throw new Error('ENOSPC: disk full, flushing write buffer');
};

export default memoryMutant('mutant/throws-sometimes', ({ ls }) => {
  let writes = 0;
  return {
    ls: {
      set: (key, value) => {
        if (++writes % FLUSH_EVERY === 0) flush(); // BUG: the flush error escapes a valid call
        ls.set(key, value);
      },
    },
  };
});
