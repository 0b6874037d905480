// Bug: a key holding a lone surrogate throws (strict UTF-8 encoding of keys, as a file name or SQL text).
// Caught by: STR-ROUNDTRIP, API-NO-THROW (and SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

const encode = (key: string) => {
  if (/\p{Cs}/u.test(key)) throw new URIError(`URI malformed: key is not well-formed UTF-16`); // BUG: any string is a valid key
};

export default memoryMutant('mutant/lone-surrogate-key-throws', ({ ls, sessions }) => ({
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
  },
}));
