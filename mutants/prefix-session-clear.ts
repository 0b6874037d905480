// Bug: session.clear(id) deletes every stored entry whose escaped id merely starts with `id` (the separator is
// left out of the prefix), so clearing session "a" also clears session "ab". Caught by: SES-CLEAR.
import { flatSessions } from './support/flat-sessions.js';
import { memoryMutant } from './support/memory-mutant.js';

/** Escape "\\" and ":" in the id so `escapedId + ":" + key` is unambiguous (this part is correct). */
const escapeId = (id: string) => id.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
const slot = (id: string, key: string) => `${escapeId(id)}:${key}`;

export default memoryMutant('mutant/prefix-session-clear', () => ({
  session: flatSessions(slot, (stored, id) => stored.startsWith(escapeId(id))), // BUG: the prefix should end with ":"
}));
