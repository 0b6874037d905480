// Bug: session.clear(id) deletes every stored entry whose escaped id merely starts with `id` (the separator is
// left out of the prefix), so clearing session "a" also clears session "ab". Caught by: SES-CLEAR.
import { memoryMutant } from './support/memory-mutant.js';

/** Escape "\\" and ":" in the id so `escapedId + ":" + key` is unambiguous (this part is correct). */
const escapeId = (id: string) => id.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
const slot = (id: string, key: string) => `${escapeId(id)}:${key}`;

export default memoryMutant('mutant/prefix-session-clear', () => {
  const flat = new Map<string, string>();
  return {
    session: {
      get: (id, key) => flat.get(slot(id, key)) ?? null,
      set: (id, key, value) => void flat.set(slot(id, key), value),
      delete: (id, key) => void flat.delete(slot(id, key)),
      clear: (id) => {
        const prefix = escapeId(id); // BUG: should end with ":"
        for (const k of [...flat.keys()]) if (k.startsWith(prefix)) flat.delete(k);
      },
    },
  };
});
