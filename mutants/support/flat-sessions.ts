/**
 * Sessions in one flat Map keyed by a slot string made from (id, key): the shape of the session-namespace
 * mutants, each of which supplies its own (wrong) slot or clear rule.
 */
import type { Bug } from './memory-mutant.js';

export function flatSessions(slot: (id: string, key: string) => string, clears: (stored: string, id: string) => boolean): NonNullable<Bug['session']> {
  const flat = new Map<string, string>();
  return {
    get: (id, key) => flat.get(slot(id, key)) ?? null,
    set: (id, key, value) => void flat.set(slot(id, key), value),
    delete: (id, key) => void flat.delete(slot(id, key)),
    clear: (id) => {
      for (const k of [...flat.keys()]) if (clears(k, id)) flat.delete(k);
    },
  };
}
