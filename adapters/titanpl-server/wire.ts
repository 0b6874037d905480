/**
 * How strings and results travel between the driver and the app's actions (app/lib/wire.js): a
 * string is {"s": …}, or {"e": …} when it holds a lone surrogate (JSON parsers on the way may
 * replace those), with each lone surrogate written as U+FFFF "x" + 4 hex digits and U+FFFF itself
 * as U+FFFF "e". A result keeps its type.
 */

export type WireString = { s: string } | { e: string };

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function encodeString(s: string): WireString {
  if ((s as string & { isWellFormed(): boolean }).isWellFormed()) return { s };
  return { e: s.replace(/\uffff/g, '\uffffe').replace(LONE, (c) => `\uffffx${c.charCodeAt(0).toString(16).padStart(4, '0')}`) };
}

function decodeString(x: WireString): string {
  if ('s' in x) return x.s;
  return x.e.replace(/\uffff(e|x([0-9a-f]{4}))/g, (_, k: string, hex: string) => (k === 'e' ? '\uffff' : String.fromCharCode(parseInt(hex, 16))));
}

/** What the action returned, as the runner should see it (undefined for "no value"). */
export function decodeResult(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o.s === 'string' || typeof o.e === 'string') return decodeString(o as WireString);
  if (Array.isArray(o.array)) return o.array.map(decodeResult);
  if (o.type === 'undefined') return undefined;
  if (o.type === 'number') return Number(o.text);
  if (o.type === 'boolean') return o.text === 'true';
  return { returnedType: o.type, text: o.text };
}
