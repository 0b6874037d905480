/** LS-*: local storage get/set/remove/clear/keys, each rule on its own. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import { keyArb, opsArb, valueArb, writesArb } from '../arbitraries.js';
import { avoidsOp } from '../avoid.js';
import { applyAll, callText, expectOutput, expectState, showThen, Touched } from '../observe.js';
import { Mismatch, propertyCheck } from '../property.js';
import { emptyState, formatOp, quote, sortKeys, step, type Op, type State } from '../../spec/model.js';

/** A random state built by writes, then a step under test. */
const stateThen = <T>(arb: fc.Arbitrary<T>) => fc.record({ setup: writesArb(), then: arb });

const showSetup = showThen;

/** Far past the bounds caches use (hundreds, a few thousand entries). */
const MANY_ENTRIES = 10_000;

async function build(h: Parameters<typeof applyAll>[0], setup: readonly Op[]) {
  const touched = new Touched();
  const state = await applyAll(h, setup, emptyState, touched);
  return { state, touched };
}

export const checks: Check[] = [
  propertyCheck({
    id: 'LS-GET-MISSING/property',
    requirement: 'LS-GET-MISSING',
    title: 'ls.get of an absent key returns null (never undefined or "")',
    arb: stateThen(keyArb),
    show: ({ setup, then }) => showSetup(setup, `ls.remove(${quote(then)}); ls.get(${quote(then)})`),
    body: async (h, { setup, then: key }) => {
      await build(h, setup);
      await h.call('ls.remove', [key]);
      expectOutput(callText('ls.get', key), await h.call('ls.get', [key]), null);
    },
  }),
  propertyCheck({
    id: 'LS-SET-GET/last-write-wins',
    requirement: 'LS-SET-GET',
    title: 'ls.get returns the last value set for the key',
    arb: stateThen(fc.tuple(keyArb, fc.array(valueArb, { minLength: 1, maxLength: 4 }))),
    show: ({ setup, then: [k, vs] }) => showSetup(setup, `${vs.map((v) => callText('ls.set', k, v)).join('; ')}; ls.get(${quote(k)})`),
    body: async (h, { setup, then: [key, values] }) => {
      await build(h, setup);
      for (const v of values) await h.call('ls.set', [key, v]);
      expectOutput(callText('ls.get', key), await h.call('ls.get', [key]), values.at(-1)!);
    },
  }),
  propertyCheck({
    id: 'LS-REMOVE/exactly-that-key',
    requirement: 'LS-REMOVE',
    title: 'ls.remove deletes the key and nothing else',
    arb: stateThen(fc.tuple(keyArb, valueArb)),
    show: ({ setup, then: [k, v] }) => showSetup(setup, `${callText('ls.set', k, v)}; ${callText('ls.remove', k)}`),
    body: async (h, { setup, then: [key, value] }) => {
      const { state, touched } = await build(h, setup);
      const ops: Op[] = [
        { op: 'ls.set', key, value },
        { op: 'ls.remove', key },
      ];
      const expected = await applyAll(h, ops, state, touched);
      await expectState(h, expected, touched, `after ${callText('ls.remove', key)}`);
    },
  }),
  propertyCheck({
    id: 'LS-REMOVE-MISSING/no-op',
    requirement: 'LS-REMOVE-MISSING',
    title: 'ls.remove of an absent key changes nothing and does not throw',
    arb: stateThen(keyArb),
    show: ({ setup, then }) => showSetup(setup, `ls.remove(${quote(then)}) twice`),
    body: async (h, { setup, then: key }) => {
      const { state, touched } = await build(h, setup);
      const expected = step(state, { op: 'ls.remove', key }).state;
      await h.call('ls.remove', [key]);
      try {
        await h.call('ls.remove', [key]);
      } catch (e) {
        throw new Mismatch(`a second ${callText('ls.remove', key)} (key now absent) threw ${e instanceof Error ? e.message : String(e)}`);
      }
      await expectState(h, expected, touched, `after removing the absent key ${quote(key)}`);
    },
  }),
  propertyCheck({
    id: 'LS-CLEAR/local-only',
    requirement: 'LS-CLEAR',
    title: 'ls.clear empties local storage and leaves sessions alone',
    arb: writesArb(25),
    show: (setup) => showSetup(setup, 'ls.clear()'),
    body: async (h, setup) => {
      const { state, touched } = await build(h, setup);
      await h.call('ls.clear', []);
      await expectState(h, step(state, { op: 'ls.clear' }).state, touched, 'after ls.clear()');
    },
  }),
  propertyCheck({
    id: 'LS-KEYS-SET/exactly-once',
    requirement: 'LS-KEYS-SET',
    title: 'after every operation, ls.keys lists every present key exactly once',
    // keys() after every step: a cached key list that one write forgets to refresh shows at once.
    arb: opsArb(30),
    show: (ops) => `${showThen(ops, 'ls.keys() after every step')}`,
    body: async (h, ops) => {
      let state = emptyState;
      for (const [i, o] of ops.entries()) {
        state = await applyAll(h, [o], state);
        const keys = (await h.call('ls.keys', [])) as string[];
        const dupes = keys.filter((k, j) => keys.indexOf(k) !== j);
        if (dupes.length) throw new Mismatch(`after step ${i + 1} (${formatOp(o)}): ls.keys() lists ${dupes.map((k) => quote(k)).join(', ')} more than once`);
        expectOutput(`after step ${i + 1} (${formatOp(o)}): ls.keys()`, keys, sortKeys([...state.ls.keys()]));
      }
    },
  }),
  propertyCheck({
    id: 'LS-KEYS-SNAPSHOT/independent-array',
    requirement: 'LS-KEYS-SNAPSHOT',
    title: 'mutating the keys() array does not touch the store, and later writes do not change the array',
    arb: stateThen(fc.tuple(keyArb, valueArb)),
    show: ({ setup, then: [k, v] }) => showSetup(setup, `ks = ls.keys(); ${callText('ls.set', k, v)}; ls.remove(ks[0] ?? ${quote(k)}); ks must be unchanged; then ks.push(…), ks.reverse(), ks.length -= 2; ls.keys()`),
    body: async (h, { setup, then: [key, value] }) => {
      const { state } = await build(h, setup);
      const ks = (await h.call('ls.keys', [])) as string[];
      const copy = [...ks];
      await h.call('ls.set', [key, value]);
      // Without ls.remove (another rule's defect) the array is judged against the set alone.
      const removes = !avoidsOp('ls.remove');
      if (removes) await h.call('ls.remove', [copy[0] ?? key]);
      if (ks.length !== copy.length || ks.some((k, i) => k !== copy[i])) {
        throw new Mismatch(`a keys() array changed after later writes: was ${JSON.stringify(copy)}, now ${JSON.stringify(ks)}`);
      }
      ks.push('zz-not-a-key');
      ks.reverse();
      ks.length = Math.max(0, ks.length - 2);
      let expected: State = step(state, { op: 'ls.set', key, value }).state;
      if (removes) expected = step(expected, { op: 'ls.remove', key: copy[0] ?? key }).state;
      expectOutput('ls.keys() after mutating an earlier keys() array', await h.call('ls.keys', []), sortKeys([...expected.ls.keys()]));
    },
  }),
  propertyCheck({
    id: 'LS-MANY-ENTRIES/all-kept',
    slow: true,
    requirement: 'LS-MANY-ENTRIES',
    title: 'after 10 000 or more distinct ls.set calls every key reads back and ls.keys() lists all of them',
    arb: fc.record({ count: fc.integer({ min: MANY_ENTRIES, max: MANY_ENTRIES + 2000 }), prefix: fc.constantFrom('k', 'entry-') }),
    show: ({ count, prefix }) => `${count} × ls.set("${prefix}" + i, "v" + i), then ls.get each and ls.keys()`,
    runsFactor: 0.02,
    body: async (h, { count, prefix }) => {
      for (let i = 0; i < count; i++) await h.call('ls.set', [prefix + i, `v${i}`]);
      const missing: number[] = [];
      for (let i = 0; i < count; i++) if ((await h.call('ls.get', [prefix + i])) !== `v${i}`) missing.push(i);
      if (missing.length > 0) {
        const first = missing.slice(0, 3).map((i) => quote(prefix + i)).join(', ');
        throw new Mismatch(`after ${count} distinct sets, ${missing.length} keys no longer read back their value (first: ${first})`);
      }
      // Without ls.keys (another rule's defect) every key read back by name is what is judged.
      if (avoidsOp('ls.keys')) return;
      const keys = (await h.call('ls.keys', [])) as string[];
      if (keys.length !== count) throw new Mismatch(`after ${count} distinct sets, ls.keys() lists ${keys.length} keys`);
    },
  }),
];
