// Bug: a value is stored as two halves, each written under its own write-lock acquisition; reads take
// both halves under one read lock. Alone it round-trips every value; a reader in another isolate that
// runs between the two halves of a set sees the new first half glued to the old second half, a value
// nobody wrote. Caught by: LIN-LINEARIZABLE (a get returning a value no set wrote).
// The race window is widened on purpose: a ~0.3 ms pause between the halves once two or more isolates
// have opened the store. Built on reference/shared.ts.
import type { Implementation } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';
import { openShared, TAG_LS, TAG_SESSION, type SharedMap } from '../../reference/shared.js';
import { createRaceShared, joinRace } from '../support/race-window.js';

/** Second halves live under their own tags (past the store's tagBase); the first halves are the reference's entries. */
const SECOND_HALF_OFFSET = 2;
const WINDOW_MS = 0.3;

const mutant: Implementation = {
  name: 'mutant/race/torn-write',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  createShared: createRaceShared,
  open({ dir, shared }) {
    const { handle, widen } = joinRace(shared, WINDOW_MS);
    const { map, tagBase, close } = openShared(handle, dir);
    const LS = tagBase + TAG_LS;
    const SES = tagBase + TAG_SESSION;
    const second = (tag: number) => tag + SECOND_HALF_OFFSET;

    const get = (tag: number, sid: string, key: string) =>
      map.read((m: SharedMap) => {
        const first = m.get(tag, sid, key);
        return first === null ? null : first + (m.get(second(tag), sid, key) ?? '');
      });
    function set(tag: number, sid: string, key: string, value: string): void {
      const half = value.length >> 1;
      map.putLocked(tag, sid, key, value.slice(0, half));
      widen(); // BUG: the lock is released between the two halves
      map.putLocked(second(tag), sid, key, value.slice(half));
    }
    const remove = (tag: number, sid: string, key: string) =>
      map.write((m: SharedMap) => {
        m.del(tag, sid, key);
        m.del(second(tag), sid, key);
      });
    const clear = (tag: number, sid?: string) =>
      map.write((m: SharedMap) => {
        m.delWhere(tag, sid);
        m.delWhere(second(tag), sid);
      });

    return {
      close,
      ls: {
        get: (key) => get(LS, '', toStorageString(key, 'key')),
        set(key, value) {
          const k = toStorageString(key, 'key');
          set(LS, '', k, toStorageString(value, 'value'));
        },
        remove: (key) => remove(LS, '', toStorageString(key, 'key')),
        clear: () => clear(LS),
        keys: () => map.keysLocked(LS),
      },
      session: {
        get(id, key) {
          const sid = toStorageString(id, 'session id');
          return get(SES, sid, toStorageString(key, 'key'));
        },
        set(id, key, value) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          set(SES, sid, k, toStorageString(value, 'value'));
        },
        delete(id, key) {
          const sid = toStorageString(id, 'session id');
          remove(SES, sid, toStorageString(key, 'key'));
        },
        clear: (id) => clear(SES, toStorageString(id, 'session id')),
      },
    };
  },
};
export default mutant;
