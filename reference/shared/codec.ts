/** Strings in shared memory: raw UTF-16 code units (NUL, lone surrogates and astral characters survive exactly), and the entry hash. */

/** Strings up to this many code units are copied with charCodeAt / fromCharCode; longer ones through a Buffer. */
const SHORT_STRING = 32;

export function encodeUnits(u16: Uint16Array, bytes: Buffer, s: string, at: number): void {
  const n = s.length;
  if (n > SHORT_STRING) {
    bytes.write(s, at * 2, n * 2, 'utf16le');
    return;
  }
  for (let i = 0; i < n; i++) u16[at + i] = s.charCodeAt(i);
}

export function decodeUnits(u16: Uint16Array, bytes: Buffer, at: number, n: number): string {
  if (n > SHORT_STRING) return bytes.toString('utf16le', at * 2, (at + n) * 2);
  const f = String.fromCharCode;
  let out = '';
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = at + i;
    out += f(u16[p]!, u16[p + 1]!, u16[p + 2]!, u16[p + 3]!, u16[p + 4]!, u16[p + 5]!, u16[p + 6]!, u16[p + 7]!);
  }
  for (; i < n; i++) out += f(u16[at + i]!);
  return out;
}

/** True if the `s.length` code units at `at` are those of `s`. */
export function unitsEqual(u16: Uint16Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (u16[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * FNV-1a-style mixing over the tag, the session id, its length and the key, two code units per
 * multiply, then the murmur3 finalizer; never 0 (0 marks an empty slot).
 */
export function hashEntry(tag: number, sid: string, key: string): number {
  let h = 0x811c9dc5 ^ tag;
  h = mixUnits(h, sid);
  h = Math.imul(h ^ (0x10000 + sid.length), 0x01000193);
  h = mixUnits(h, key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

function mixUnits(h: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
