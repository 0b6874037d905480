// The complete example module from the README, kept here so a test checks that it passes the suite.
import type { Implementation } from 'titan-storage-spec/spec/contract';

function str(x: unknown, what: string): string {
  if (typeof x === 'symbol') throw new TypeError(`${what} cannot be a Symbol`);
  try { return String(x); } catch (e) { throw new TypeError(`${what}: ${(e as Error).message}`); }
}

const impl: Implementation = {
  name: 'my-store',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open() {
    const ls = new Map<string, string>();
    const sessions = new Map<string, Map<string, string>>();  // (id, key) pairs, never `id + ":" + key`
    return {
      ls: {
        get: (k) => ls.get(str(k, 'key')) ?? null,
        set: (k, v) => { const key = str(k, 'key'); ls.set(key, str(v, 'value')); },
        remove: (k) => void ls.delete(str(k, 'key')),
        clear: () => ls.clear(),
        keys: () => [...ls.keys()],
      },
      session: {
        get: (id, k) => { const s = str(id, 'id'), key = str(k, 'key'); return sessions.get(s)?.get(key) ?? null; },
        set: (id, k, v) => { const s = str(id, 'id'), key = str(k, 'key'), val = str(v, 'value');
          if (!sessions.has(s)) sessions.set(s, new Map()); sessions.get(s)!.set(key, val); },
        delete: (id, k) => { const s = str(id, 'id'), key = str(k, 'key'); sessions.get(s)?.delete(key); },
        clear: (id) => void sessions.delete(str(id, 'id')),
      },
    };
  },
};
export default impl;
