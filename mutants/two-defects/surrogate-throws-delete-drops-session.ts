// Two independent bugs, one of which shows early: a key holding a lone surrogate throws (strict UTF-8, as in
// lone-surrogate-key-throws), and session.delete(id, key) drops the whole session instead of that one key.
// Caught by: API-NO-THROW or STR-ROUNDTRIP (the first), SES-DELETE (the second) — both must be reported.
import { memoryMutant } from '../support/memory-mutant.js';

const encode = (key: string) => {
  if (/\p{Cs}/u.test(key)) throw new URIError('URI malformed: key is not well-formed UTF-16'); // BUG 1: any string is a valid key
};

export default memoryMutant('mutant/two-defects/surrogate-throws-delete-drops-session', ({ ls, sessions }) => ({
  ls: {
    get: (key) => (encode(key), ls.get(key) ?? null),
    set: (key, value) => {
      encode(key);
      ls.set(key, value);
    },
  },
  session: {
    set: (id, key, value) => {
      encode(key);
      if (!sessions.has(id)) sessions.set(id, new Map());
      sessions.get(id)!.set(key, value);
    },
    delete: (id, key) => {
      encode(key);
      sessions.delete(id); // BUG 2: should delete only `key` from that session
    },
  },
}));
