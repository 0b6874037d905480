// Two independent bugs, one of which shows early: a key or value holding NUL throws (a C-string boundary), and
// local storage is a plain object, so "__proto__" and the other member names are not ordinary keys.
// Caught by: API-NO-THROW or STR-ROUNDTRIP (the first), STR-PROTO-NAMES (the second) — both must be reported.
import { memoryMutant } from '../support/memory-mutant.js';

const cString = (s: string) => {
  if (s.includes('\0')) throw new TypeError('string contains a NUL byte'); // BUG 1: NUL is an ordinary code unit
};

export default memoryMutant('mutant/two-defects/nul-throws-object-backed', ({ sessions }) => {
  let ls: Record<string, string> = {}; // BUG 2: a Map (or Object.create(null) with own-property checks)
  return {
    ls: {
      get: (key) => (cString(key), ls[key] ?? null),
      set: (key, value) => {
        cString(key);
        cString(value);
        ls[key] = value;
      },
      remove: (key) => {
        cString(key);
        delete ls[key];
      },
      clear: () => {
        ls = {};
      },
      keys: () => Object.keys(ls),
    },
    session: {
      set: (id, key, value) => {
        cString(key);
        cString(value);
        if (!sessions.has(id)) sessions.set(id, new Map());
        sessions.get(id)!.set(key, value);
      },
    },
  };
});
