// Bug: ls.get returns undefined (Map.get's result) for a missing key instead of null.
// Caught by: LS-GET-MISSING (or API-RESULT-TYPE when the harness checks the type first).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/undefined-for-missing', ({ ls }) => ({
  ls: { get: (key) => ls.get(key) }, // BUG: missing `?? null`
}));
