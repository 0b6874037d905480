// Two independent bugs, one of which shows early: a missing key or pair reads as "" (as in
// empty-string-for-missing), and session.clear("a") also clears every session whose id starts with "a".
// Caught by: LS-GET-MISSING or SES-GET-MISSING (the first), SES-CLEAR (the second) — both must be reported.
import { memoryMutant } from '../support/memory-mutant.js';

export default memoryMutant('mutant/two-defects/missing-empty-prefix-clear', ({ ls, sessions }) => ({
  ls: { get: (key) => ls.get(key) ?? '' }, // BUG 1: should be `?? null`
  session: {
    get: (id, key) => sessions.get(id)?.get(key) ?? '', // BUG 1 again, in sessions
    clear: (id) => {
      for (const other of [...sessions.keys()]) if (other.startsWith(id)) sessions.delete(other); // BUG 2: only `id` itself
    },
  },
}));
