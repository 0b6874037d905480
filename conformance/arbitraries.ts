/**
 * Adversarial generators. Small alphabets force collisions; the special strings are the ones that
 * break real stores (separators, prefixes, NUL, lone surrogates, NFC/NFD, case, prototype names).
 */
import fc from 'fast-check';
import type { Op } from '../spec/model.js';
import { OPERATIONS, OP_NAMES, type ArgName, type OpName } from '../spec/operations.js';
import { allowedNow, opAllowedNow } from './avoid.js';

/** Names that break object-backed stores. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'] as const;

/** Web Storage's own member names: they break stores built on a Storage-like object. */
export const WEB_STORAGE_NAMES = ['length', 'key', 'getItem', 'setItem', 'removeItem', 'clear'] as const;

/** Every member name STR-PROTO-NAMES treats as an ordinary key. */
export const MEMBER_NAMES = [...PROTOTYPE_NAMES, ...WEB_STORAGE_NAMES] as const;

/** Strings that are easy to confuse with each other or with nothing. */
export const TRICKY_STRINGS = [
  '', ' ', 'a', 'A', ' a', 'a ', 'a:', ':a', 'a:b', ':', '::', 'a\0', '\0', '\0a', '\uD800', '\uDFFF', 'a\uD83D', '\uDE00a',
  '\u{1F600}', 'é' /* NFC */, 'e\u0301' /* NFD */, 'Å', 'A\u030A', 'ß', 'SS', 'null', 'undefined', '[object Object]', '\n', '\t',
  ...PROTOTYPE_NAMES,
] as const;

/** One character from a tiny alphabet: collisions, separators and awkward code units. */
export const awkwardUnit = fc.constantFrom('a', 'b', 'A', ':', ' ', '\0', '\uD800', '\uDC00', 'é', 'e\u0301', '\u{1F600}', '/', '|');

/** Any UTF-16 code unit, lone surrogates included. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const SURROGATES = 0xe000 - 0xd800;
/**
 * Any Unicode scalar value (no lone surrogates): the same values, in the same order for a seed, as fast-check's
 * `fc.string({ unit: 'binary' })` unit, whose constructor builds a table of all 1.1 million code points (1.2 s per process).
 */
export const anyCodePoint = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (n) => String.fromCodePoint(n < 0xd800 ? n : n + SURROGATES),
  (s) => {
    const c = typeof s === 'string' ? s.codePointAt(0) : undefined;
    if (c === undefined || String.fromCodePoint(c) !== s || (c >= 0xd800 && c < 0xe000)) throw new Error('not one code point');
    return c < 0xd800 ? c : c - SURROGATES;
  },
);

/** Any JavaScript string: arbitrary code units, weighted towards the awkward ones. */
export const anyString = (maxLength = 12) =>
  fc.string({ unit: fc.oneof({ weight: 3, arbitrary: awkwardUnit }, { weight: 1, arbitrary: anyCodeUnit }, { weight: 1, arbitrary: fc.constantFrom('x', 'y', 'z', '\u{10FFFF}', '\uFEFF') }), maxLength });

/**
 * 1 000-5 000 code units: a short awkward head and tail around one repeated unit. Shrinking then
 * shortens the head and tail and the count, in a few steps, instead of one code unit at a time.
 */
const longString = fc.tuple(anyString(6), fc.oneof(awkwardUnit, anyCodeUnit), fc.integer({ min: 1000, max: 5000 }), anyString(6)).map(([head, unit, n, tail]) => head + unit.repeat(Math.ceil(n / unit.length)) + tail);

/** Keys, values and session ids: mostly from a tiny space (collisions), sometimes tricky constants, sometimes anything, rarely long. */
export function storageString(opts: { maxLength?: number; long?: boolean } = {}): fc.Arbitrary<string> {
  const arbs: fc.WeightedArbitrary<string>[] = [
    // A handful of values: most operations hit entries that earlier ones wrote.
    { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c') },
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ':'), maxLength: 3 }) },
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    { weight: 3, arbitrary: anyString(opts.maxLength ?? 12) },
  ];
  if (opts.long) arbs.push({ weight: 1, arbitrary: longString });
  return fc.oneof(...arbs);
}

/**
 * Hostile strings (separators, NUL, lone surrogates, prototype names, long values) are the inputs of the
 * requirements about them (STR-*, SES-ISOLATION) and of the catch-alls (SEQ-MODEL, API-NO-THROW,
 * PERSIST-DURABLE). Every other check draws plain ones, so one string defect fails its own requirement
 * instead of every check whose set-up happened to use that string.
 */
// Each filtered by the avoidance of the check in progress (conformance/avoid.ts): a known defect's inputs are not drawn.
export const hostileKeyArb = storageString().filter(allowedNow('key'));
export const hostileValueArb = storageString({ long: true }).filter(allowedNow('value'));
export const hostileSessionIdArb = storageString().filter(allowedNow('key'));

/** Plain strings: a handful of short letter strings, so operations still meet the same entries. */
const plainString = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c') }, { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 3 }) });
export const keyArb = plainString.filter(allowedNow('key'));
export const valueArb = fc.oneof(plainString, fc.string({ unit: fc.constantFrom('v', 'w', '1', '2'), minLength: 1, maxLength: 8 })).filter(allowedNow('value'));
export const sessionIdArb = plainString.filter(allowedNow('key'));

const ARG_ARBS: Record<ArgName, fc.Arbitrary<string>> = { id: sessionIdArb, key: keyArb, value: valueArb };
const HOSTILE_ARG_ARBS: Record<ArgName, fc.Arbitrary<string>> = { id: hostileSessionIdArb, key: hostileKeyArb, value: hostileValueArb };

/** Operation `op` with arguments drawn from `args` (plain strings by default). */
export function opOfArb(op: OpName, args: Record<ArgName, fc.Arbitrary<string>> = ARG_ARBS): fc.Arbitrary<Op> {
  const names = OPERATIONS[op].args;
  if (names.length === 0) return fc.constant({ op } as Op);
  return fc.record({ op: fc.constant(op), ...Object.fromEntries(names.map((n) => [n, args[n]])) }) as unknown as fc.Arbitrary<Op>;
}

/** How often each operation is drawn; every operation of spec/operations.ts must have a weight. */
const OP_WEIGHTS: Record<OpName, number> = { 'ls.get': 3, 'ls.set': 4, 'ls.remove': 2, 'ls.clear': 1, 'ls.keys': 2, 'session.get': 3, 'session.set': 4, 'session.delete': 2, 'session.clear': 1 };
/** Writes only; ls.clear is left out so a built-up state is not wiped. */
const WRITE_WEIGHTS: Partial<Record<OpName, number>> = { 'ls.set': 4, 'ls.remove': 1, 'session.set': 4, 'session.delete': 1, 'session.clear': 1 };

const weighted = (weights: Partial<Record<OpName, number>>, args = ARG_ARBS) =>
  fc.oneof(...OP_NAMES.filter((op) => weights[op] !== undefined).map((op) => ({ weight: weights[op]!, arbitrary: opOfArb(op, args) }))).filter(opAllowedNow);

/** Model operations with plain arguments. */
export const opArb: fc.Arbitrary<Op> = weighted(OP_WEIGHTS);
/** Model operations with adversarial arguments. */
export const hostileOpArb: fc.Arbitrary<Op> = weighted(OP_WEIGHTS, HOSTILE_ARG_ARBS);

/** Only writes: a way to build up a state. */
export const writeOpArb: fc.Arbitrary<Op> = weighted(WRITE_WEIGHTS);

// 'medium' size: sequences long enough for writes to meet reads of the same entries.
export const opsArb = (maxLength = 25) => fc.array(opArb, { maxLength, size: 'medium' });
export const hostileOpsArb = (maxLength = 25) => fc.array(hostileOpArb, { maxLength, size: 'medium' });
export const writesArb = (maxLength = 20) => fc.array(writeOpArb, { maxLength, size: 'medium' });

/** Two strings that differ but are easily confused: case, normalization, white space, separators, anything. */
export const confusablePair: fc.Arbitrary<[string, string]> = fc
  .oneof(
    fc.constantFrom<[string, string]>(['a', 'A'], ['é', 'e\u0301'], ['Å', 'A\u030A'], ['a', ' a'], ['a', 'a '], ['a', 'a\0'], ['', ' '], ['ß', 'SS'], ['\uD800', '\uFFFD'], ['a\uD800', 'a']),
    fc.tuple(hostileKeyArb, hostileKeyArb),
    fc.tuple(anyString(), fc.constantFrom(' ', '\0', '\n', ':')).map(([s, pad]): [string, string] => [s, s + pad]),
    anyString().map((s): [string, string] => [s, s.toUpperCase()]),
    anyString().map((s): [string, string] => [s, s.normalize('NFD')]),
  )
  .filter(([a, b]) => a !== b && allowedNow('key')(a) && allowedNow('key')(b));

/** Short plain strings for most coercible inputs. */
const plainText = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 5 });

/**
 * What an argument may convert to besides plain text: the empty string (a file-per-key store's name for its own
 * directory), NUL, lone surrogates, separators, prototype names. VAL-COERCE judges a failure on such an input only
 * when the same call with the converted strings passes (conformance/properties/values.ts): otherwise the string is
 * the defect, and its own requirement reports it.
 */
const AWKWARD_CONVERSIONS = ['', ' ', 'a\0', '\0', '\uD800', 'a\uDC00', ':', 'a:b', '/', '__proto__', 'toString'] as const;
const convertedText = fc.oneof({ weight: 3, arbitrary: plainText }, { weight: 2, arbitrary: fc.constantFrom(...AWKWARD_CONVERSIONS) });

/** Give a generated object a readable rendering in counterexamples: the code that makes it (fc.stringify would print what its toString returns, or call a throwing one). */
function labelled<T extends object>(o: T, label: string): T {
  Object.defineProperty(o, fc.toStringMethod, { value: () => label, enumerable: false });
  return o;
}

/** Non-string inputs and the strings ToString makes of them (VAL-COERCE); `[]` and `{ toString: () => "" }` convert to "". */
export const coercibleArb: fc.Arbitrary<unknown> = fc.oneof(
  // Cross-shrinking: an argument that is not the culprit shrinks to a plain integer.
  { withCrossShrink: true },
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 1.5e-7, true, false, null, undefined),
  fc.bigInt(),
  fc.array(fc.oneof(fc.integer(), plainText), { minLength: 1, maxLength: 3 }),
  fc.constant(null).map(() => []),
  fc.array(fc.constantFrom(...AWKWARD_CONVERSIONS), { minLength: 1, maxLength: 2 }),
  fc.constant(null).map(() => ({})),
  convertedText.map((s) => labelled({ toString: () => s }, `{ toString: () => ${JSON.stringify(s)} }`)),
  convertedText.map((s) => labelled({ valueOf: () => 42, toString: () => s }, `{ valueOf: () => 42, toString: () => ${JSON.stringify(s)} }`)),
  fc.integer().map((n) => new Number(n)),
  fc.date({ noInvalidDate: true }),
);

/** Inputs that must be rejected with a TypeError (VAL-REJECT). Fresh objects each run so nothing is cached. */
export const rejectedArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 4 }).map((d) => Symbol(d)),
  fc.constant(Symbol.iterator),
  fc.string({ maxLength: 10 }).map((m) =>
    labelled(
      {
        toString() {
          throw new Error(`toString failed: ${m}`);
        },
      },
      `{ toString() { throw new Error(${JSON.stringify(`toString failed: ${m}`)}) } }`,
    ),
  ),
  fc.constant(null).map(() =>
    labelled(
      {
        toString() {
          throw new RangeError('boom');
        },
      },
      '{ toString() { throw new RangeError("boom") } }',
    ),
  ),
  fc.constant(null).map(() => labelled({ toString: () => ({}), valueOf: () => ({}) }, '{ toString: () => ({}), valueOf: () => ({}) }')),
  fc.constant(null).map(() => labelled(Object.create(null) as object, 'Object.create(null)')),
);
