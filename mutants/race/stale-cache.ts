// Bug: each isolate keeps a read-through cache of get results (hits and misses) in front of the shared
// store, and invalidates it only on its own writes. Alone it is exact; across isolates, once a key has
// been read, writes made by other isolates are never seen. Caught by: SHARE-VISIBLE (a write that has
// returned in one isolate is not visible in another), also LIN-LINEARIZABLE.
// No window to widen: the staleness lasts until this isolate writes the key itself. Built on
// reference/shared.ts.
import type { Implementation } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';
import { handleFrom, openShared } from '../../reference/shared.js';

const mutant: Implementation = {
  name: 'mutant/race/stale-cache',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  createShared: () => handleFrom(undefined),
  open({ dir, shared }) {
    const s = openShared(handleFrom(shared), dir);
    // BUG: per-isolate caches, never told about other isolates' writes.
    const lsCache = new Map<string, string | null>();
    const sessionCache = new Map<string, Map<string, string | null>>();
    const sessionEntries = (sid: string) => {
      let c = sessionCache.get(sid);
      if (c === undefined) sessionCache.set(sid, (c = new Map()));
      return c;
    };
    return {
      close: () => s.close(),
      ls: {
        get(key) {
          const k = toStorageString(key, 'key');
          if (lsCache.has(k)) return lsCache.get(k)!;
          const v = s.ls.get(k) as string | null;
          lsCache.set(k, v);
          return v;
        },
        set(key, value) {
          const k = toStorageString(key, 'key');
          const v = toStorageString(value, 'value');
          s.ls.set(k, v);
          lsCache.set(k, v);
        },
        remove(key) {
          const k = toStorageString(key, 'key');
          s.ls.remove(k);
          lsCache.set(k, null);
        },
        clear() {
          s.ls.clear();
          lsCache.clear();
        },
        keys: () => s.ls.keys(),
      },
      session: {
        get(id, key) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          const c = sessionEntries(sid);
          if (c.has(k)) return c.get(k)!;
          const v = s.session.get(sid, k) as string | null;
          c.set(k, v);
          return v;
        },
        set(id, key, value) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          const v = toStorageString(value, 'value');
          s.session.set(sid, k, v);
          sessionEntries(sid).set(k, v);
        },
        delete(id, key) {
          const sid = toStorageString(id, 'session id');
          const k = toStorageString(key, 'key');
          s.session.delete(sid, k);
          sessionEntries(sid).set(k, null);
        },
        clear(id) {
          const sid = toStorageString(id, 'session id');
          s.session.clear(sid);
          sessionCache.delete(sid);
        },
      },
    };
  },
};
export default mutant;
