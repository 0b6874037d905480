// Bug: session.clear(id) deletes every stored entry whose escaped id merely starts with `id` (the separator is
// left out of the prefix), so clearing session "a" also clears session "ab". Caught by: SES-CLEAR.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

/** Escape "\" and ":" in the id so `escapedId + ":" + key` is unambiguous (this part is correct). */
const escapeId = (id: string) => id.replaceAll('\\', '\\\\').replaceAll(':', '\\:');

function open(): Storage {
  const { ls } = createMemoryStorage();
  const sessions = new Map<string, string>();
  const slot = (id: unknown, key: unknown) => `${escapeId(toStorageString(id, 'session id'))}:${toStorageString(key, 'key')}`;
  return {
    ls,
    session: {
      get: (id, key) => sessions.get(slot(id, key)) ?? null,
      set: (id, key, value) => {
        const k = slot(id, key);
        sessions.set(k, toStorageString(value, 'value'));
      },
      delete: (id, key) => void sessions.delete(slot(id, key)),
      clear: (id) => {
        const prefix = escapeId(toStorageString(id, 'session id')); // BUG: should end with ":"
        for (const k of [...sessions.keys()]) if (k.startsWith(prefix)) sessions.delete(k);
      },
    },
  };
}

const mutant: Implementation = { name: 'mutant/prefix-session-clear', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
