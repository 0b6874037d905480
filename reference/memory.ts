/**
 * The "after" store of the change note: pure in-memory maps, volatile, no sharing promised.
 * One Map for local storage and a Map of Maps for sessions, so (id, key) pairs cannot collide.
 * Written over strings only; spec/conversion.ts converts the arguments.
 */
import type { Implementation, Storage } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';

export { toStorageString } from '../spec/conversion.js';

/** The maps a memory core keeps its entries in. */
export interface MemoryMaps {
  ls: Map<string, string>;
  sessions: Map<string, Map<string, string>>;
}

export function createMemoryCore({ ls, sessions }: MemoryMaps = { ls: new Map(), sessions: new Map() }): StringStorage {
  return {
    ls: {
      get: (key) => ls.get(key) ?? null,
      set: (key, value) => void ls.set(key, value),
      remove: (key) => void ls.delete(key),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
    session: {
      get: (id, key) => sessions.get(id)?.get(key) ?? null,
      set: (id, key, value) => {
        let entries = sessions.get(id);
        if (entries === undefined) sessions.set(id, (entries = new Map()));
        entries.set(key, value);
      },
      delete: (id, key) => {
        const entries = sessions.get(id);
        if (entries?.delete(key) && entries.size === 0) sessions.delete(id);
      },
      clear: (id) => void sessions.delete(id),
    },
  };
}

export function createMemoryStorage(): Storage {
  return withConversion(createMemoryCore());
}

const memory: Implementation = {
  name: 'reference/memory',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: () => createMemoryStorage(),
};

export default memory;
