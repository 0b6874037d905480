// Bug: session.set silently ignores an empty session id (a guard meant for "no session"), so session "" never holds data.
// Caught by: SES-SET-GET (also STR-ROUNDTRIP, SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/session-empty-id-ignored', ({ sessions }) => ({
  session: {
    set: (id, key, value) => {
      if (id === '') return; // BUG: "" is a valid session id
      let entries = sessions.get(id);
      if (entries === undefined) sessions.set(id, (entries = new Map()));
      entries.set(key, value);
    },
  },
}));
