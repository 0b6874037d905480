// Bug: entries live as properties of a Web Storage-like object, and a key equal to one of its member names
// (length, key, getItem, setItem, removeItem, clear) is silently ignored on set. Caught by: STR-PROTO-NAMES (also STR-ROUNDTRIP, SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

const MEMBERS = new Set(['length', 'key', 'getItem', 'setItem', 'removeItem', 'clear']);

export default memoryMutant('mutant/web-storage-names', ({ ls }) => ({
  ls: {
    set: (key, value) => {
      if (MEMBERS.has(key)) return; // BUG: a member name is an ordinary key
      ls.set(key, value);
    },
  },
}));
