/** VAL-*: the empty string, String() conversion of arguments, and rejection of unconvertible ones. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import { coercibleArb, keyArb, rejectedArb, sessionIdArb, valueArb, writesArb } from '../arbitraries.js';
import { avoidsOp } from '../avoid.js';
import { applyAll, callText, expectOutput, expectState, showThen, Touched } from '../observe.js';
import { checkProperty, Mismatch, propertyCheck, withFresh } from '../property.js';
import { MissingMethod, WrongResultType, type Harness } from '../harness.js';
import { argumentNames, convertCall, emptyState } from '../../spec/model.js';
import { OP_NAMES, type OpName } from '../../spec/operations.js';

const OPS_WITH_ARGS = OP_NAMES.filter((o) => argumentNames(o).length > 0);

/** A call with string arguments except one, which is replaced by `bad`. */
const callWith = (bad: fc.Arbitrary<unknown>) =>
  fc.constantFrom(...OPS_WITH_ARGS).chain((op) =>
    fc.record({
      op: fc.constant(op),
      args: fc.tuple(...argumentNames(op).map((n) => (n === 'value' ? valueArb : n === 'id' ? sessionIdArb : keyArb))),
      position: fc.nat({ max: argumentNames(op).length - 1 }),
      bad,
    }),
  ).map(({ op, args, position, bad: b }) => ({ op, args: args.map((a, i) => (i === position ? b : a)) as unknown[], position }));

const showCall = (c: { op: OpName; args: unknown[] }) => `${c.op}(${c.args.map((a) => fc.stringify(a)).join(', ')})`;

function isTypeError(e: unknown): boolean {
  // By name, not instanceof: errors may come from another realm or across a process boundary.
  return e instanceof Error && e.name === 'TypeError';
}

/** The error ToString itself throws for `x`: a TypeError is required; one thrown by x's own toString may propagate as is. */
function ownErrorOf(x: unknown): unknown {
  if (typeof x === 'symbol') return new TypeError('Symbol');
  try {
    void `${x as string}`;
    return undefined;
  } catch (e) {
    return e;
  }
}

interface CoerceInput {
  key: unknown;
  value: unknown;
  id: unknown;
  skey: unknown;
  svalue: unknown;
}

/** Set through raw arguments, then read back by String(x) and by x. */
async function storeAndReadBack(h: Harness, { key, value, id, skey, svalue }: CoerceInput): Promise<void> {
  await h.call('ls.set', [key, value]);
  await h.call('session.set', [id, skey, svalue]);
  const sk = String(key);
  const sid = String(id);
  const sskey = String(skey);
  // The session entry may overwrite nothing in ls: they are separate namespaces.
  expectOutput(callText('ls.get', sk), await h.call('ls.get', [sk]), String(value));
  expectOutput(`ls.get(${fc.stringify(key)})`, await h.call('ls.get', [key]), String(value));
  expectOutput(callText('session.get', sid, sskey), await h.call('session.get', [sid, sskey]), String(svalue));
  expectOutput(`session.get(${fc.stringify(id)}, ${fc.stringify(skey)})`, await h.call('session.get', [id, skey]), String(svalue));
  expectOutput('ls.keys()', await h.call('ls.keys', []), [sk]);
}

const converted = (v: CoerceInput): CoerceInput => ({ key: String(v.key), value: String(v.value), id: String(v.id), skey: String(v.skey), svalue: String(v.svalue) });
const showCoerce = (v: CoerceInput) => `ls.set(${fc.stringify(v.key)}, ${fc.stringify(v.value)}); session.set(${fc.stringify(v.id)}, ${fc.stringify(v.skey)}, ${fc.stringify(v.svalue)}); read back by String(x) and by x`;

/**
 * VAL-COERCE: the raw arguments must behave exactly as the strings they convert to. A run that fails is judged only
 * when the same run with the converted strings passes on a fresh store; otherwise the strings are what the store
 * mishandles (an empty key, NUL, a lone surrogate): their own requirements report that, and the note says how many
 * runs were left unjudged here.
 */
const coerceCheck: Check = {
  id: 'VAL-COERCE/string-conversion',
  requirement: 'VAL-COERCE',
  title: 'non-string keys, values, session ids and session keys are stored as String(x)',
  run: async (ctx) => {
    const stringDefects = new Set<string>();
    const note = await checkProperty(
      ctx,
      'VAL-COERCE',
      fc.record({ key: coercibleArb, value: coercibleArb, id: coercibleArb, skey: coercibleArb, svalue: coercibleArb }),
      (v) =>
        withFresh(ctx, async (h) => {
          try {
            await storeAndReadBack(h, v);
          } catch (e) {
            const strings = converted(v);
            if (await withFresh(ctx, (h2) => storeAndReadBack(h2, strings)).then(() => true, () => false)) {
              // The same strings read back as strings: what came back is the argument unconverted, the conversion's defect.
              if (e instanceof WrongResultType) throw new Mismatch(`${e.message}, where storing the converted strings reads back strings: the argument was stored unconverted`);
              throw e;
            }
            stringDefects.add(showCoerce(strings));
          }
        }),
      { show: showCoerce },
    );
    const example = [...stringDefects][0]?.slice(0, 120);
    const excluded = example ? `judged without ${stringDefects.size} input(s) whose converted strings already fail as plain strings, the strings' defect and not the conversion's (first: ${example}${example.length === 120 ? '…' : ''})` : undefined;
    return [note, excluded].filter((x) => x !== undefined).join('; ') || undefined;
  },
};

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export const checks: Check[] = [
  propertyCheck({
    id: 'VAL-EMPTY-STRING/value-not-absence',
    requirement: 'VAL-EMPTY-STRING',
    title: 'a stored "" reads back as "" and is listed by keys()',
    arb: fc.record({ setup: writesArb(10), key: keyArb, id: sessionIdArb }),
    show: ({ setup, key, id }) => showThen(setup, `${callText('ls.set', key, '')}; ${callText('session.set', id, key, '')}; read both back`),
    body: async (h, { setup, key, id }) => {
      await applyAll(h, setup);
      await h.call('ls.set', [key, '']);
      await h.call('session.set', [id, key, '']);
      expectOutput(callText('ls.get', key), await h.call('ls.get', [key]), '');
      expectOutput(callText('session.get', id, key), await h.call('session.get', [id, key]), '');
      // Without ls.keys (its defect is another rule's, conformance/avoid.ts) the values read back are what is judged.
      if (avoidsOp('ls.keys')) return;
      const keys = (await h.call('ls.keys', [])) as string[];
      if (!keys.includes(key)) throw new Mismatch(`ls.keys() does not list ${JSON.stringify(key)}, whose value is ""`);
    },
  }),
  coerceCheck,
  propertyCheck({
    id: 'VAL-REJECT/type-error',
    requirement: 'VAL-REJECT',
    title: 'a Symbol or an argument ToString cannot convert is rejected with a TypeError; an error its own toString throws may propagate',
    arb: callWith(rejectedArb),
    show: showCall,
    body: async (h, c) => {
      let threw: unknown = undefined;
      let settled = false;
      try {
        await h.call(c.op, c.args);
        settled = true;
      } catch (e) {
        if (e instanceof MissingMethod) throw e; // API-SHAPE's, not a rejection
        threw = e;
      }
      const own = ownErrorOf(c.args[c.position]);
      const needsTypeError = isTypeError(own);
      if (settled) throw new Mismatch(`${showCall(c)} was accepted; it must ${needsTypeError ? 'reject with a TypeError' : `throw (a TypeError, or the argument's own ${errorText(own)})`}`);
      if (needsTypeError && !isTypeError(threw)) throw new Mismatch(`${showCall(c)} threw ${errorText(threw)}, not a TypeError`);
    },
  }),
  propertyCheck({
    id: 'VAL-REJECT-ATOMIC/state-unchanged',
    requirement: 'VAL-REJECT-ATOMIC',
    title: 'a rejected call leaves every key, value and session as it was',
    arb: fc.record({ setup: writesArb(15), call: callWith(rejectedArb) }),
    show: ({ setup, call }) => showThen(setup, `${showCall(call)} (rejected); read everything back`),
    body: async (h, { setup, call }) => {
      const touched = new Touched();
      // The rejected call targets an existing entry: that is where data is lost.
      const good = call.args.map((a, i) => (i === call.position ? 'existing' : a)) as unknown[];
      const conv = convertCall({ op: call.op, args: good });
      const pre = conv.ok && (conv.op.op === 'ls.set' || conv.op.op === 'session.set') ? [...setup, conv.op] : setup;
      const state = await applyAll(h, pre, emptyState, touched);
      const partial = convertCall({ op: call.op, args: call.args.map((a, i) => (i === call.position ? '' : a)) });
      if (partial.ok) touched.add(partial.op);
      const rejected = await h.call(call.op, call.args).then(() => false, () => true);
      // An accepted call is VAL-REJECT's failure; atomicity is about calls that are rejected.
      if (rejected) await expectState(h, state, touched, `after the rejected ${showCall(call)}`);
    },
  }),
];
