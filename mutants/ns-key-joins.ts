// Bug: one flat key space, as a key-value server holds it: local-storage keys as they are, each session as a hash
// under "session:" + id. The ls key "session:u" and the session "u" are then one entry: writing either replaces the
// other, and the ls side reads a session's entry as not found. Caught by: ISO-LS-SESSION (its keys joined as a
// namespaced store joins them).
import type { Implementation } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';

type Entry = string | Map<string, string>;

function open(): StringStorage {
  const entries = new Map<string, Entry>();
  // BUG: the session's name can be an ls key too; a separate Map (or a prefix on ls keys as well) keeps them apart.
  const slot = (id: string) => `session:${id}`;
  const hash = (id: string) => {
    const e = entries.get(slot(id));
    return e instanceof Map ? e : undefined;
  };
  return {
    ls: {
      get: (key) => {
        const e = entries.get(key);
        return typeof e === 'string' ? e : null;
      },
      set: (key, value) => void entries.set(key, value),
      remove: (key) => {
        if (typeof entries.get(key) === 'string') entries.delete(key);
      },
      clear: () => {
        for (const [k, e] of [...entries]) if (typeof e === 'string') entries.delete(k);
      },
      keys: () => [...entries].flatMap(([k, e]) => (typeof e === 'string' ? [k] : [])),
    },
    session: {
      get: (id, key) => hash(id)?.get(key) ?? null,
      set: (id, key, value) => {
        let h = hash(id);
        if (!h) entries.set(slot(id), (h = new Map()));
        h.set(key, value);
      },
      delete: (id, key) => void hash(id)?.delete(key),
      clear: (id) => {
        if (hash(id)) entries.delete(slot(id));
      },
    },
  };
}

const mutant: Implementation = {
  name: 'mutant/ns-key-joins',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: () => withConversion(open()),
};
export default mutant;
