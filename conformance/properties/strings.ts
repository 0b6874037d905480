/** STR-*: every JavaScript string survives exactly and stays distinct; prototype names; large values. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import type { Harness } from '../harness.js';
import { anyCodePoint, anyCodeUnit, anyString, confusablePair, MEMBER_NAMES, sessionIdArb } from '../arbitraries.js';
import { allowedNow, avoidsOp } from '../avoid.js';
import { callText, expectOutput, expectState, Touched } from '../observe.js';
import { exampleCheck, Mismatch, propertyCheck } from '../property.js';
import { firstDifferingUnit, run, unitAt, type Op } from '../../spec/model.js';

const fullString = fc.oneof(anyString(40), fc.string({ unit: anyCodeUnit, maxLength: 40 }), fc.string({ unit: anyCodePoint, maxLength: 20 }));

const MIB = 1024 * 1024;

/** A 16 MiB-long string (code units) of ASCII: size is this requirement's, unusual code units are STR-ROUNDTRIP's. */
function largeValue(): string {
  const chunk = 'abcdefghijklmnopqrstuvwxyz0123456789-';
  return chunk.repeat(Math.ceil((16 * MIB) / chunk.length)).slice(0, 16 * MIB);
}

function firstDifference(a: string, b: string): string {
  const i = firstDifferingUnit(a, b);
  return `got ${b.length} code units instead of ${a.length}; first difference at code unit ${i}: expected ${unitAt(a, i)}, got ${unitAt(b, i)}`;
}

/** Apply the writes, then read back every entry they touched and compare with the model. */
async function writeThenExpect(h: Harness, ops: readonly Op[], when: string): Promise<void> {
  const touched = new Touched();
  for (const o of ops) {
    await h.apply(o);
    touched.add(o);
  }
  await expectState(h, run(ops).state, touched, when);
}

export const checks: Check[] = [
  propertyCheck({
    id: 'STR-ROUNDTRIP/any-string',
    requirement: 'STR-ROUNDTRIP',
    title: 'any string (NUL, lone surrogates, astral) round-trips as key, value, session id and session key',
    arb: fc.record({ key: fullString, value: fullString, id: fullString, skey: fullString }),
    show: ({ key, value, id, skey }) => `${callText('ls.set', key, value)}; ${callText('session.set', id, skey, value)}; read back`,
    body: async (h, { key, value, id, skey }) => {
      const ops: Op[] = [
        { op: 'ls.set', key, value },
        { op: 'session.set', id, key: skey, value },
      ];
      await writeThenExpect(h, ops, 'after storing the strings');
    },
  }),
  propertyCheck({
    id: 'STR-DISTINCT/confusable-keys',
    requirement: 'STR-DISTINCT',
    title: 'keys differing in case, normalization, white space or any code unit are distinct',
    arb: fc.record({ pair: confusablePair, id: sessionIdArb }),
    show: ({ pair: [a, b], id }) => `${callText('ls.set', a, 'first')}; ${callText('ls.set', b, 'second')}; ${callText('session.set', id, a, 'first')}; ${callText('session.set', id, b, 'second')}; read back`,
    body: async (h, { pair: [a, b], id }) => {
      const ops: Op[] = [
        { op: 'ls.set', key: a, value: 'first' },
        { op: 'ls.set', key: b, value: 'second' },
        { op: 'session.set', id, key: a, value: 'first' },
        { op: 'session.set', id, key: b, value: 'second' },
        { op: 'session.set', id: a, key: 'k', value: 'first' },
        { op: 'session.set', id: b, key: 'k', value: 'second' },
      ];
      // An operation left out for another rule's defect (conformance/avoid.ts): the other namespace still judges distinctness.
      await writeThenExpect(h, ops.filter((o) => !avoidsOp(o.op)), 'after writing both strings');
    },
  }),
  exampleCheck({
    id: 'STR-PROTO-NAMES/ordinary-keys',
    requirement: 'STR-PROTO-NAMES',
    title: '"__proto__", "constructor" and friends are absent until set, then stored, listed and removed like any key',
    body: async (h) => {
      // The names the attempt may use (a store that lower-cases keys is judged on the lower-case ones); all of them otherwise, refused if excluded.
      const allowed = MEMBER_NAMES.filter(allowedNow('key'));
      const names = allowed.length ? allowed : MEMBER_NAMES;
      for (const name of names) {
        expectOutput(callText('ls.get', name), await h.call('ls.get', [name]), null);
        expectOutput(callText('session.get', name, name), await h.call('session.get', [name, name]), null);
      }
      for (const name of names) {
        await h.call('ls.set', [name, `v:${name}`]);
        await h.call('session.set', [name, name, `s:${name}`]);
      }
      for (const name of names) {
        expectOutput(callText('ls.get', name), await h.call('ls.get', [name]), `v:${name}`);
        expectOutput(callText('session.get', name, name), await h.call('session.get', [name, name]), `s:${name}`);
      }
      expectOutput('ls.keys()', await h.call('ls.keys', []), [...names].sort());
      await h.call('ls.remove', ['__proto__']);
      expectOutput(callText('ls.get', '__proto__'), await h.call('ls.get', ['__proto__']), null);
      expectOutput(callText('ls.get', 'constructor'), await h.call('ls.get', ['constructor']), 'v:constructor');
    },
  }),
  propertyCheck({
    id: 'STR-PROTO-NAMES/mixed-with-others',
    requirement: 'STR-PROTO-NAMES',
    title: 'prototype names mixed with ordinary keys behave like the model',
    arb: fc.array(fc.tuple(fc.constantFrom(...MEMBER_NAMES, 'a', 'b'), fc.constantFrom('set', 'remove'), fc.constantFrom('x', '', '__proto__')), { maxLength: 12 }),
    show: (steps) => steps.map(([k, what, v]) => (what === 'set' ? callText('ls.set', k, v) : callText('ls.remove', k))).join('; '),
    body: async (h, steps) => {
      const ops: Op[] = steps.map(([key, what, value]) => (what === 'set' ? { op: 'ls.set', key, value } : { op: 'ls.remove', key }));
      for (const o of ops) await h.apply(o);
      const touched = new Touched();
      MEMBER_NAMES.forEach((key) => touched.add({ op: 'ls.get', key }));
      await expectState(h, run(ops).state, touched, 'after the operations');
    },
  }),
  exampleCheck({
    id: 'STR-LARGE-VALUE/16-MiB',
    requirement: 'STR-LARGE-VALUE',
    title: 'a 16 MiB value is stored and returned intact in local storage and in a session',
    body: async (h) => {
      const big = largeValue();
      await h.call('ls.set', ['big', big]);
      const got = await h.call('ls.get', ['big']);
      if (got !== big) throw new Mismatch(`ls.get("big") did not return the 16 MiB value intact (${typeof got === 'string' ? firstDifference(big, got) : `got ${typeof got}`})`);
      // Without session.set (another rule's defect) local storage alone is judged.
      if (avoidsOp('session.set')) return;
      await h.call('session.set', ['s', 'big', big]);
      const sgot = await h.call('session.get', ['s', 'big']);
      if (sgot !== big) throw new Mismatch(`session.get("s", "big") did not return the 16 MiB value intact (${typeof sgot === 'string' ? firstDifference(big, sgot) : `got ${typeof sgot}`})`);
    },
  }),
];
