// Bug: each session is stored as one serialized blob (a JSON list of [key, value] pairs), and
// session.set/delete read the blob under the read lock, change it, and write it back under a separate
// write-lock acquisition. Alone it behaves; two isolates setting different keys of one session
// concurrently both read the same old blob, and the later write-back drops the other's key.
// Caught by: LIN-LINEARIZABLE (a completed session.set whose key is then missing), also SHARE-VISIBLE.
// The race window is widened on purpose: a ~0.3 ms pause between the read and the write-back once two or
// more isolates have opened the store. Built on reference/shared.ts (local storage is the reference's).
import type { Implementation } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';
import { openShared } from '../../reference/shared.js';
import { createRaceShared, joinRace } from '../support/race-window.js';

/** Namespace tag (past the store's tagBase) of the session blobs; 0 and 1 are the reference's local storage and sessions. */
const BLOB = 2;
const WINDOW_MS = 0.3;

const parse = (blob: string | null) => new Map<string, string>(blob === null ? [] : (JSON.parse(blob) as [string, string][]));

const mutant: Implementation = {
  name: 'mutant/race/lost-update',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  createShared: createRaceShared,
  open({ dir, shared }) {
    const { handle, widen } = joinRace(shared, WINDOW_MS);
    const { ls, map, tagBase, close } = openShared(handle, dir);
    const TAG_BLOB = tagBase + BLOB;

    /** BUG: read, modify, write back, with the lock released in between. */
    function update(sid: string, change: (entries: Map<string, string>) => void): void {
      const entries = parse(map.getLocked(TAG_BLOB, '', sid));
      change(entries);
      widen();
      if (entries.size === 0) map.delLocked(TAG_BLOB, '', sid);
      else map.putLocked(TAG_BLOB, '', sid, JSON.stringify([...entries]));
    }

    return {
      ls,
      close,
      session: {
        get(id, key) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          return parse(map.getLocked(TAG_BLOB, '', sid)).get(k) ?? null;
        },
        set(id, key, value) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          const v = toStorageString(value, 'value');
          update(sid, (e) => e.set(k, v));
        },
        delete(id, key) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          update(sid, (e) => e.delete(k));
        },
        clear: (id) => map.delLocked(TAG_BLOB, '', toStorageString(id, 'session id')),
      },
    };
  },
};
export default mutant;
