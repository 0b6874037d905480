/** SES-* and ISO-LS-SESSION: sessions are independent (id, key) pairs and a namespace of their own. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import { keyArb, sessionIdArb, valueArb, writesArb, hostileKeyArb, hostileSessionIdArb } from '../arbitraries.js';
import { avoidsOp } from '../avoid.js';
import { applyAll, callText, expectOutput, expectState, showThen, Touched } from '../observe.js';
import { Mismatch, propertyCheck } from '../property.js';
import { emptyState, formatOp, step, type Op } from '../../spec/model.js';

/** Session ids and keys that collide when composed naively: "a:b"+"c" vs "a"+"b:c", prefixes, "". */
const splitPair = fc.oneof(
  fc.tuple(hostileSessionIdArb, hostileKeyArb, hostileSessionIdArb, hostileKeyArb),
  fc.tuple(fc.string({ unit: fc.constantFrom('a', ':'), maxLength: 3 }), fc.string({ unit: fc.constantFrom('b', ':'), maxLength: 3 })).map(([x, y]): [string, string, string, string] => [x + ':', y, x, ':' + y]),
  fc.tuple(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })).map(([x, y, z]): [string, string, string, string] => [x + y, z, x, y + z]),
).filter(([i1, k1, i2, k2]) => i1 !== i2 || k1 !== k2);

const showWrites = showThen;

/** Names a store may put in front of a key to keep its namespaces apart, and what it joins them with (":" most often). */
const namespaceName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('session', 'ls') }, { weight: 2, arbitrary: fc.constantFrom('sessions', 'sess', 'local', 'localStorage') });
const separator = fc.oneof({ weight: 4, arbitrary: fc.constant(':') }, { weight: 3, arbitrary: fc.constantFrom('/', '.', '|') });

/**
 * The same strings in ls and a session (and swapped), and the keys a store that joins namespace and key into one
 * string would collide on: the ls key `id:key` against the pair (id, key), `session:id` against the session id,
 * and the session ids `ls` and `ls:key` against the ls key `key`.
 */
function joinedWrites({ key, id, ns, sep }: { key: string; id: string; ns: string; sep: string }): Op[] {
  return [
    { op: 'ls.set', key, value: 'ls' },
    { op: 'session.set', id, key, value: 'session' },
    { op: 'session.set', id: key, key: id, value: 'swapped' },
    { op: 'ls.set', key: id + sep + key, value: 'ls:id+key' },
    { op: 'ls.set', key: ns + sep + id, value: 'ls:ns+id' },
    { op: 'ls.set', key: ns + sep + id + sep + key, value: 'ls:ns+id+key' },
    { op: 'session.set', id: ns, key, value: 'session:ns' },
    { op: 'session.set', id: ns + sep + key, key: id, value: 'session:ns+key' },
  ];
}

export const checks: Check[] = [
  propertyCheck({
    id: 'SES-GET-MISSING/property',
    requirement: 'SES-GET-MISSING',
    title: 'session.get of an absent (id, key) returns null',
    arb: fc.record({ setup: writesArb(), id: sessionIdArb, key: keyArb }),
    show: ({ setup, id, key }) => showWrites(setup, `${callText('session.delete', id, key)}; ${callText('session.get', id, key)}`),
    body: async (h, { setup, id, key }) => {
      await applyAll(h, setup);
      await h.call('session.delete', [id, key]);
      expectOutput(callText('session.get', id, key), await h.call('session.get', [id, key]), null);
    },
  }),
  propertyCheck({
    id: 'SES-SET-GET/last-write-wins',
    requirement: 'SES-SET-GET',
    title: 'session.get returns the last value set for that (id, key)',
    arb: fc.record({ setup: writesArb(), id: sessionIdArb, key: keyArb, values: fc.array(valueArb, { minLength: 1, maxLength: 3 }) }),
    show: ({ setup, id, key, values }) => showWrites(setup, `${values.map((v) => callText('session.set', id, key, v)).join('; ')}; ${callText('session.get', id, key)}`),
    body: async (h, { setup, id, key, values }) => {
      await applyAll(h, setup);
      for (const v of values) await h.call('session.set', [id, key, v]);
      expectOutput(callText('session.get', id, key), await h.call('session.get', [id, key]), values.at(-1)!);
    },
  }),
  propertyCheck({
    id: 'SES-ISOLATION/independent-pairs',
    requirement: 'SES-ISOLATION',
    title: 'two different (id, key) pairs never see each other, whatever characters they contain',
    arb: fc.record({ pair: splitPair, setup: writesArb(8) }),
    show: ({ setup, pair: [i1, k1, i2, k2] }) => showWrites(setup, `${callText('session.set', i1, k1, 'one')}; ${callText('session.set', i2, k2, 'two')}; ${callText('session.delete', i2, k2)}; read back`),
    body: async (h, { setup, pair: [i1, k1, i2, k2] }) => {
      const touched = new Touched();
      let state = await applyAll(h, setup, emptyState, touched);
      const ops: Op[] = [
        { op: 'session.set', id: i1, key: k1, value: 'one' },
        { op: 'session.set', id: i2, key: k2, value: 'two' },
      ];
      state = await applyAll(h, ops, state, touched);
      await expectState(h, state, touched, 'after setting both pairs');
      state = await applyAll(h, [{ op: 'session.delete', id: i2, key: k2 }], state, touched);
      await expectState(h, state, touched, `after ${callText('session.delete', i2, k2)}`);
    },
  }),
  propertyCheck({
    id: 'SES-DELETE/exactly-that-pair',
    requirement: 'SES-DELETE',
    title: 'session.delete removes that (id, key) only; deleting an absent pair is a no-op',
    arb: fc.record({ setup: writesArb(15), id: sessionIdArb, key: keyArb, twice: fc.boolean() }),
    show: ({ setup, id, key, twice }) => showWrites(setup, `${callText('session.delete', id, key)}${twice ? ' twice' : ''}`),
    body: async (h, { setup, id, key, twice }) => {
      const touched = new Touched();
      const state = await applyAll(h, setup, emptyState, touched);
      touched.add({ op: 'session.get', id, key });
      await h.call('session.delete', [id, key]);
      if (twice) {
        try {
          await h.call('session.delete', [id, key]);
        } catch (e) {
          throw new Mismatch(`deleting the absent pair again threw ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      await expectState(h, step(state, { op: 'session.delete', id, key }).state, touched, `after ${callText('session.delete', id, key)}`);
    },
  }),
  propertyCheck({
    id: 'SES-CLEAR/exactly-that-session',
    requirement: 'SES-CLEAR',
    title: 'session.clear(id) removes that session\'s keys and nothing else (not prefixes, not ls)',
    arb: fc.record({
      setup: writesArb(15),
      id: sessionIdArb,
      neighbours: fc.array(fc.tuple(fc.constantFrom('', ':', 'x', ' ', '\0'), keyArb), { maxLength: 4 }),
    }),
    show: ({ setup, id, neighbours }) => showWrites(setup, `${neighbours.map(([suffix, k]) => callText('session.set', id + suffix, k, 'n')).join('; ')}; ${callText('session.clear', id)}`),
    body: async (h, { setup, id, neighbours }) => {
      const touched = new Touched();
      // Neighbours: sessions whose ids extend `id`, and the ls key equal to it (hostile ls keys are STR-DISTINCT's).
      const extra: Op[] = [
        ...neighbours.map(([suffix, k]): Op => ({ op: 'session.set', id: id + suffix, key: k, value: 'n' })),
        ...(neighbours.length > 0 ? [{ op: 'ls.set', key: id, value: 'n' } as Op] : []),
      ];
      const state = await applyAll(h, [...setup, ...extra], emptyState, touched);
      await h.call('session.clear', [id]);
      await expectState(h, step(state, { op: 'session.clear', id }).state, touched, `after ${callText('session.clear', id)}`);
    },
  }),
  propertyCheck({
    id: 'ISO-LS-SESSION/separate-namespaces',
    requirement: 'ISO-LS-SESSION',
    title: 'ls and sessions with the same strings, or with strings a namespaced store would join into one key, are independent; keys() lists no session entry',
    arb: fc.record({ key: keyArb, id: sessionIdArb, ns: namespaceName, sep: separator, order: fc.boolean(), setup: writesArb(8) }),
    show: ({ setup, ...v }) => showWrites(setup, `${joinedWrites(v).map(formatOp).join('; ')}; ${callText('session.clear', v.id)}; ${callText('session.clear', v.ns)}; ${callText('ls.remove', v.ns + v.sep + v.id)}; ${callText('ls.remove', v.key)}`),
    body: async (h, { setup, order, ...v }) => {
      const touched = new Touched();
      let state = await applyAll(h, setup, emptyState, touched);
      const writes = joinedWrites(v).filter((o) => !avoidsOp(o.op));
      state = await applyAll(h, order ? writes : [...writes].reverse(), state, touched);
      await expectState(h, state, touched, 'after writing the same and the joined strings to ls and sessions');
      const after: Op[] = [
        { op: 'session.clear', id: v.id },
        { op: 'session.clear', id: v.ns },
        { op: 'ls.remove', key: v.ns + v.sep + v.id },
        { op: 'ls.remove', key: v.key },
      ];
      // An operation left out for another rule's defect (conformance/avoid.ts) is skipped; the rest still judge the namespaces.
      for (const o of after.filter((x) => !avoidsOp(x.op))) {
        state = await applyAll(h, [o], state, touched);
        await expectState(h, state, touched, `after ${formatOp(o)}`);
      }
    },
  }),
];
