// Bug: sessions live in one Map keyed by `id + ":" + key`, so session ("a:b", "c") and ("a", "b:c") are the same entry.
// Caught by: SES-ISOLATION.
import { memoryMutant } from './support/memory-mutant.js';

/** The flat map's slot for (id, key). */
const slot = (id: string, key: string) => `${id}:${key}`; // BUG: ("a:b", "c") and ("a", "b:c") share a slot

export default memoryMutant('mutant/composite-session-key', () => {
  const flat = new Map<string, string>();
  return {
    session: {
      get: (id, key) => flat.get(slot(id, key)) ?? null,
      set: (id, key, value) => void flat.set(slot(id, key), value),
      delete: (id, key) => void flat.delete(slot(id, key)),
      clear: (id) => {
        for (const k of [...flat.keys()]) if (k.startsWith(`${id}:`)) flat.delete(k);
      },
    },
  };
});
