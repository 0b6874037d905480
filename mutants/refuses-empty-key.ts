// Bug: the key "" is refused with an error (as many file- and SQL-backed stores do), in ls and in sessions.
// Caught by: STR-ROUNDTRIP, API-NO-THROW (and SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

const refuse = (key: string) => {
  if (key === '') throw new Error('key must not be empty'); // BUG: "" is a valid key
};

export default memoryMutant('mutant/refuses-empty-key', ({ ls, sessions }) => ({
  ls: {
    set: (key, value) => {
      refuse(key);
      ls.set(key, value);
    },
  },
  session: {
    set: (id, key, value) => {
      refuse(key);
      if (!sessions.has(id)) sessions.set(id, new Map());
      sessions.get(id)!.set(key, value);
    },
  },
}));
