// How strings cross JSON between the driver (adapters/titanpl-server/wire.ts) and the actions:
// {"s": string}, or, when the string holds a lone surrogate (which JSON parsers on the way may
// replace), {"e": string} with every lone surrogate written as U+FFFF "x" and 4 hex digits (and
// U+FFFF itself as U+FFFF "e"). Results keep their type.
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function dec(x) {
  if (typeof x.s === "string") return x.s;
  return x.e.replace(/\uffff(e|x([0-9a-f]{4}))/g, (_, k, hex) => (k === "e" ? "\uffff" : String.fromCharCode(parseInt(hex, 16))));
}

export function encString(v) {
  LONE.lastIndex = 0;
  if (!LONE.test(v)) return { s: v };
  return { e: v.replace(/\uffff/g, "\uffffe").replace(LONE, (c) => "\uffffx" + c.charCodeAt(0).toString(16).padStart(4, "0")) };
}

// Any result, its type kept: strings as above, null as null, everything else tagged.
export function enc(v) {
  if (typeof v === "string") return encString(v);
  if (v === null) return null;
  if (Array.isArray(v)) return { array: v.map(enc) };
  return { type: typeof v, text: String(v) };
}
