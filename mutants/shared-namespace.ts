// Bug: session entries are kept in the local-storage Map under a "session:" prefix, so ls.keys() lists them,
// ls.get can read them and ls.clear removes them. Caught by: ISO-LS-SESSION (also LS-KEYS-SET, LS-CLEAR).
import { memoryMutant } from './support/memory-mutant.js';

/** JSON-encoding the pair keeps (id, key) unambiguous; only the namespace is shared. */
const sessionSlot = (id: string, key: string) => `session:${JSON.stringify([id, key])}`;
/** Every slot of session `id` starts with this: `session:["<id>",`. */
const sessionPrefix = (id: string) => `session:${JSON.stringify([id]).slice(0, -1)},`;

// BUG: sessions are stored in the local-storage Map
export default memoryMutant('mutant/shared-namespace', ({ ls }) => ({
  session: {
    get: (id, key) => ls.get(sessionSlot(id, key)) ?? null,
    set: (id, key, value) => void ls.set(sessionSlot(id, key), value),
    delete: (id, key) => void ls.delete(sessionSlot(id, key)),
    clear: (id) => {
      const prefix = sessionPrefix(id);
      for (const k of [...ls.keys()]) if (k.startsWith(prefix)) ls.delete(k);
    },
  },
}));
