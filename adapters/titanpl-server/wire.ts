/**
 * How strings and results travel between the driver and the app's `op` action
 * (adapters/titanpl-server/app/actions/op.js): a string is {"s": …}, or {"u": [code units]} when it
 * holds a lone surrogate (JSON parsers on the way may replace those); a result keeps its type.
 */

export type WireString = { s: string } | { u: number[] };

function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

export function encodeString(s: string): WireString {
  if (isWellFormed(s)) return { s };
  const u = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return { u };
}

function decodeString(x: WireString): string {
  if ('s' in x) return x.s;
  let out = '';
  for (let i = 0; i < x.u.length; i += 8192) out += String.fromCharCode(...x.u.slice(i, i + 8192));
  return out;
}

/** What the action returned, as the runner should see it (undefined for "no value"). */
export function decodeResult(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('s' in o || 'u' in o) return decodeString(o as WireString);
  if (Array.isArray(o.array)) return o.array.map(decodeResult);
  if (o.type === 'undefined') return undefined;
  if (o.type === 'number') return Number(o.text);
  if (o.type === 'boolean') return o.text === 'true';
  return { returnedType: o.type, text: o.text };
}
