// Bug: session.delete of an (id, key) that is not present throws instead of doing nothing.
// Caught by: SES-DELETE (also API-NO-THROW).
import { memoryMutant } from './support/memory-mutant.js';

export default memoryMutant('mutant/session-delete-missing-throws', ({ sessions }) => ({
  session: {
    delete: (id, key) => {
      const entries = sessions.get(id);
      if (!entries?.delete(key)) throw new Error(`session ${id} has no key ${key}`); // BUG: a missing key is a no-op
      if (entries.size === 0) sessions.delete(id);
    },
  },
}));
