/**
 * NOT the product: the real adapter (index.ts) with client-side workarounds layered on top, each
 * switched on by env TITANPL_DIAG (comma-separated). Running the suite with one workaround on shows
 * which failures that one library defect causes; reports/titanpl-core-3.0.7.md uses it to attribute
 * each failing requirement to its cause(s). The library underneath is called exactly as index.ts does.
 *
 *   missing  every stored value gets a one-character prefix, so the library's "" for an absent
 *            key can be told apart from a stored "" and read as null
 *   strings  keys, values, session ids and session keys are escaped to ASCII without NUL, ":" and
 *            surrogates (%XXXX per other code unit), so C strings, UTF-8 and "id:key" lose nothing
 *   reject   arguments are converted like reference/memory.ts (Symbols and throwing toString: TypeError)
 *
 * e.g. TITANPL_DIAG=missing,strings node bin/titan-storage.mjs check adapters/titanpl-core/diagnostic.ts
 */
import type { Implementation, Storage } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';
import real from './index.js';

const WORKAROUNDS = ['missing', 'strings', 'reject'] as const;
type Workaround = (typeof WORKAROUNDS)[number];

function enabled(): Set<Workaround> {
  const asked = (process.env.TITANPL_DIAG ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = asked.filter((w) => !(WORKAROUNDS as readonly string[]).includes(w));
  if (unknown.length) throw new Error(`TITANPL_DIAG: unknown workaround(s) ${unknown.join(', ')}; known: ${WORKAROUNDS.join(', ')}`);
  return new Set(asked as Workaround[]);
}

const SAFE_UNIT = /^[A-Za-z0-9 _.-]$/;
/** 1 for the code units kept as they are; every other one becomes %XXXX (so NUL, ":", "%" and surrogates never reach the library). */
const SAFE = Uint8Array.from({ length: 0x10000 }, (_, u) => (SAFE_UNIT.test(String.fromCharCode(u)) ? 1 : 0));

/** Copies runs of safe code units as slices: fast enough for the 16 MiB values of STR-LARGE-VALUE. */
export function escapeString(s: string): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (SAFE[u]) continue;
    if (i > start) parts.push(s.slice(start, i));
    parts.push(`%${u.toString(16).padStart(4, '0')}`);
    start = i + 1;
  }
  parts.push(s.slice(start));
  return parts.join('');
}

export function unescapeString(s: string): string {
  const parts = s.split('%');
  for (let i = 1; i < parts.length; i++) parts[i] = String.fromCharCode(parseInt(parts[i]!.slice(0, 4), 16)) + parts[i]!.slice(4);
  return parts.join('');
}

function layered(inner: Storage, on: Set<Workaround>): Storage {
  // Conversions as the product does them (runtime ToString for keys and ids, index.js String() for values), or the reference's.
  const key = on.has('reject') ? (x: unknown) => toStorageString(x, 'key') : (x: unknown) => `${x as string}`;
  const value = on.has('reject') ? (x: unknown) => toStorageString(x, 'value') : (x: unknown) => String(x);
  const enc = on.has('strings') ? escapeString : (s: string) => s;
  const dec = on.has('strings') ? unescapeString : (s: string) => s;
  const wrap = (v: string) => (on.has('missing') ? `=${enc(v)}` : enc(v));
  const unwrap = (r: string | null): string | null => {
    if (r === null) return null;
    if (!on.has('missing')) return dec(r);
    return r === '' ? null : dec(r.slice(1));
  };
  const k = (x: unknown) => enc(key(x));
  return {
    ls: {
      get: (x) => unwrap(inner.ls.get(k(x)) as string | null),
      set: (x, v) => {
        const kk = k(x);
        inner.ls.set(kk, wrap(value(v)));
      },
      remove: (x) => inner.ls.remove(k(x)),
      clear: () => inner.ls.clear(),
      keys: () => (inner.ls.keys() as string[]).map(dec),
    },
    session: {
      get: (id, x) => {
        const sid = k(id);
        return unwrap(inner.session.get(sid, k(x)) as string | null);
      },
      set: (id, x, v) => {
        const sid = k(id);
        const kk = k(x);
        inner.session.set(sid, kk, wrap(value(v)));
      },
      delete: (id, x) => {
        const sid = k(id);
        inner.session.delete(sid, k(x));
      },
      clear: (id) => inner.session.clear(k(id)),
    },
  };
}

const diagnostic: Implementation = {
  name: `diagnostic: @titanpl/core@3.0.7 with workarounds [${[...enabled()].join(', ') || 'none'}]`,
  capabilities: real.capabilities,
  async open(options) {
    const inner = (await real.open(options)) as Storage;
    return { ...layered(inner, enabled()), close: () => inner.close?.() };
  },
};

export default diagnostic;
