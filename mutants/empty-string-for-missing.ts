// Bug: ls.get returns "" for a missing key (`?? ''`, as a template engine would want), so absence and "" look alike.
// Caught by: LS-GET-MISSING (also VAL-EMPTY-STRING).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/empty-string-for-missing', ({ ls }) => ({
  ls: { get: (key) => ls.get(key) ?? '' }, // BUG: should be `?? null`
}));
