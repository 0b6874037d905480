// Bug: sessions live in one Map keyed by `id + ":" + key`, so session ("a:b", "c") and ("a", "b:c") are the same entry.
// Caught by: SES-ISOLATION.
import { flatSessions } from './support/flat-sessions.js';
import { memoryMutant } from './support/memory-mutant.js';

/** The flat map's slot for (id, key). */
const slot = (id: string, key: string) => `${id}:${key}`; // BUG: ("a:b", "c") and ("a", "b:c") share a slot

export default memoryMutant('mutant/composite-session-key', () => ({
  session: flatSessions(slot, (stored, id) => stored.startsWith(`${id}:`)),
}));
