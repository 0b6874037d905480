// Bug: ls.keys() returns the Map's key iterator instead of an array (a missing Array.from).
// Caught by: API-RESULT-TYPE.
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/keys-iterator', ({ ls }) => ({
  ls: { keys: () => ls.keys() }, // BUG: should be Array.from(ls.keys())
}));
