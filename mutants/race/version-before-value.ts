// Bug: an overwrite publishes the entry's new version in one write-lock acquisition and writes the
// value in a second one, without bumping the version again (the version is "bumped before the value
// is written"). Alone it behaves: the isolate's own cache is refreshed by its own set. Another
// isolate that misses its cache in between decodes the old value and caches it under the new
// version; that version never changes again, so it keeps returning the old value after the write
// has returned. Caught by: SHARE-VISIBLE/during-writes (reads in the window, then after the write), also
// LIN-LINEARIZABLE. The race window is widened on purpose: a ~1.5 ms pause between the two
// acquisitions once two or more isolates have opened the store. Built on reference/shared.ts.
import type { Implementation } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';
import { openShared, S_VER_HI, S_VER_LO, SLOT_WORDS, TAG_LS, TAG_SESSION, type SharedMap } from '../../reference/shared.js';
import { createRaceShared, joinRace } from '../support/race-window.js';

const WINDOW_MS = 1.5;

const mutant: Implementation = {
  name: 'mutant/race/version-before-value',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  createShared: createRaceShared,
  open({ dir, shared }) {
    const { handle, widen } = joinRace(shared, WINDOW_MS);
    const s = openShared(handle, dir);
    const version = (m: SharedMap, i: number) => [m.slots[i * SLOT_WORDS + S_VER_LO]!, m.slots[i * SLOT_WORDS + S_VER_HI]!] as const;

    /** BUG: new version first (its own lock), value second (another lock), version left as published. */
    function set(tag: number, sid: string, key: string, value: string, viaStore: () => void): void {
      const published = s.map.write((m) => {
        const i = m.find(tag, sid, key);
        if (i < 0) return null;
        m.put(tag, sid, key, m.valueAt(i)); // same value, new version: readers may now cache the old value under it
        return version(m, i);
      });
      if (published === null) return viaStore();
      widen();
      viaStore(); // writes the value (and, in this isolate, refreshes its cache)...
      s.map.write((m) => {
        const i = m.find(tag, sid, key);
        m.slots[i * SLOT_WORDS + S_VER_HI] = published[1]; // ...but the version stays the one published before it
        Atomics.store(m.slots, i * SLOT_WORDS + S_VER_LO, published[0]);
      });
    }

    return {
      ...s,
      ls: {
        ...s.ls,
        set(key, value) {
          const k = toStorageString(key, 'key');
          const v = toStorageString(value, 'value');
          set(s.tagBase + TAG_LS, '', k, v, () => s.ls.set(k, v));
        },
      },
      session: {
        ...s.session,
        set(id, key, value) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          const v = toStorageString(value, 'value');
          set(s.tagBase + TAG_SESSION, sid, k, v, () => s.session.set(sid, k, v));
        },
      },
    };
  },
};
export default mutant;
