// Bug: keys are namespaced as "a:" + key unless they already look namespaced, so ls keys "a:x" and "x" are the
// same entry (a storage abstraction's prefix). Caught by: STR-DISTINCT (also SEQ-MODEL).
import { memoryMutant } from './support/memory-mutant.js';

const PREFIX = 'a:';
const ns = (key: string) => (key.startsWith(PREFIX) ? key : PREFIX + key); // BUG: must prefix every key
const un = (key: string) => key.slice(PREFIX.length);

export default memoryMutant('mutant/namespace-prefix', ({ ls }) => ({
  ls: {
    get: (key) => ls.get(ns(key)) ?? null,
    set: (key, value) => void ls.set(ns(key), value),
    remove: (key) => void ls.delete(ns(key)),
    keys: () => [...ls.keys()].map(un),
  },
}));
