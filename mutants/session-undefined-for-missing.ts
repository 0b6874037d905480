// Bug: session.get returns undefined for a missing (id, key) (optional chaining without `?? null`).
// Caught by: SES-GET-MISSING (or API-RESULT-TYPE when the harness checks the type first).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/session-undefined-for-missing', ({ sessions }) => ({
  session: { get: (id, key) => sessions.get(id)?.get(key) }, // BUG: missing `?? null`
}));
