/** API-*: the shape of the storage object, result types, no spurious errors, timeliness; OPEN-FRESH-EMPTY. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import { applyAll, applyChecked, expectState, showOps, showThen, Touched } from '../observe.js';
import { checkProperty, exampleCheck, Mismatch, propertyCheck, withFresh } from '../property.js';
import { hostileOpArb, hostileOpsArb, opsArb, writesArb } from '../arbitraries.js';
import { emptyState, type Op } from '../../spec/model.js';
import { methodsByNamespace, type OpName } from '../../spec/operations.js';
import { MissingMethod, OperationThrew, OperationTimeout, WrongResultType, type Harness } from '../harness.js';

const METHODS = methodsByNamespace();

/** A harness whose calls swallow every error but a timeout. */
function onlyTimeouts(h: Harness): Harness {
  const call = h.call.bind(h);
  return Object.assign(Object.create(h) as Harness, {
    call: (op: OpName, args: readonly unknown[]) => call(op, args).catch((e) => {
      if (e instanceof OperationTimeout) throw e;
      return undefined;
    }),
  });
}

/**
 * Every operation of the sequence completes without throwing. A sequence that is not shrunk (`cut`) is shown only
 * up to the step that threw: what came after it cannot have caused the throw.
 */
function noThrowCheck(id: string, title: string, arb: fc.Arbitrary<Op[]>, opts: { runsFactor?: number; cut?: string } = {}): Check {
  // The step that threw in the last failing run: the counterexample's, as that run is the last one to fail.
  let failedAt = -1;
  const body = async (h: Harness, ops: Op[]) => {
    for (const [i, o] of ops.entries()) {
      try {
        await h.apply(o);
      } catch (e) {
        if (e instanceof OperationTimeout || e instanceof WrongResultType || e instanceof MissingMethod) throw e; // credited to API-TIMELY / API-RESULT-TYPE / API-SHAPE
        failedAt = i;
        const inner = e instanceof OperationThrew ? e.error : e;
        throw new Mismatch(`step ${i + 1}: ${h.describe(o)} threw ${inner instanceof Error ? `${inner.name}: ${inner.message}` : String(inner)}`);
      }
    }
  };
  const show = (ops: Op[]) => (opts.cut && failedAt >= 0 && failedAt < ops.length - 1 ? `${showOps(ops.slice(0, failedAt + 1))}
(cut at the failing step ${failedAt + 1} of ${ops.length} operations)` : showOps(ops));
  return {
    id,
    requirement: 'API-NO-THROW',
    title,
    run: (ctx) =>
      checkProperty(ctx, 'API-NO-THROW', arb, (ops) => withFresh(ctx, (h) => body(h, ops)), {
        show,
        runs: ctx.options.runs * (opts.runsFactor ?? 1),
        ...(opts.cut ? { noShrink: true, whyNotShrunk: opts.cut } : {}),
      }),
  };
}

export const checks: Check[] = [
  exampleCheck({
    id: 'API-SHAPE/methods',
    requirement: 'API-SHAPE',
    title: 'ls.get/set/remove/clear/keys and session.get/set/delete/clear are functions',
    body: async (h) => {
      const missing: string[] = [];
      for (const [ns, names] of Object.entries(METHODS)) {
        const obj = (h.storage as unknown as Record<string, Record<string, unknown> | undefined>)[ns];
        for (const m of names) if (typeof obj?.[m] !== 'function') missing.push(`${ns}.${m}`);
      }
      if (h.storage.close !== undefined && typeof h.storage.close !== 'function') missing.push('close (present but not a function)');
      if (missing.length) throw new Mismatch(`the storage object lacks ${missing.join(', ')}`);
    },
  }),
  propertyCheck({
    id: 'API-RESULT-TYPE/property',
    requirement: 'API-RESULT-TYPE',
    title: 'get returns string | null and keys returns string[] after any operations',
    arb: hostileOpsArb(),
    show: showOps,
    // The harness rejects a wrong result type with WrongResultType; every op here is observed.
    body: async (h, ops) => {
      for (const o of ops) await h.apply(o);
    },
  }),
  noThrowCheck('API-NO-THROW/property', 'no operation on string arguments throws or rejects', hostileOpsArb(40)),
  noThrowCheck(
    'API-NO-THROW/long-sequence',
    'hundreds of operations on one store never throw (failures that come with wear: every Nth write, a full buffer)',
    fc.array(hostileOpArb, { minLength: 300, maxLength: 600 }),
    { runsFactor: 0.1, cut: 'the sequence must stay long to fail and shrinking hundreds of operations costs minutes; it is cut at the step that threw, the operations before it as generated' },
  ),
  propertyCheck({
    id: 'API-TIMELY/every-operation',
    requirement: 'API-TIMELY',
    title: 'every operation settles within the per-operation timeout',
    arb: hostileOpsArb(30),
    show: showOps,
    runsFactor: 0.5,
    // The harness turns a call that does not settle in time into OperationTimeout.
    body: async (h, ops) => {
      for (const o of [...ops, { op: 'ls.keys' } as const]) await h.apply(o).catch((e) => {
        if (e instanceof Error && e.name === 'OperationTimeout') throw e;
      });
    },
  }),
  propertyCheck({
    id: 'API-TIMELY/many-entries',
    requirement: 'API-TIMELY',
    title: 'operations settle in time on a store with thousands of entries (tables fill up, lists grow)',
    arb: fc.record({ count: fc.integer({ min: 500, max: 3000 }), prefix: fc.constantFrom('k', '', 'key:', '\u00e9') }),
    show: ({ count, prefix }) => `${count} × ls.set(${JSON.stringify(prefix)} + i, "v") and session.set("s", ${JSON.stringify(prefix)} + i, "v"), then gets of absent keys, ls.keys(), removes, ls.clear()`,
    runsFactor: 0.05,
    body: async (h, { count, prefix }) => {
      // Only timeliness is judged here: other errors are API-NO-THROW's business.
      h = onlyTimeouts(h);
      for (let i = 0; i < count; i++) {
        await h.call('ls.set', [prefix + i, 'v']);
        await h.call('session.set', ['s', prefix + i, 'v']);
      }
      for (let i = 0; i < 20; i++) {
        await h.call('ls.get', [`absent-${i}`]);
        await h.call('session.get', ['s', `absent-${i}`]);
      }
      await h.call('ls.keys', []);
      for (let i = 0; i < count; i += 7) await h.call('ls.remove', [prefix + i]);
      await h.call('ls.get', ['absent']);
      await h.call('ls.clear', []);
      await h.call('session.clear', ['s']);
    },
  }),
  propertyCheck({
    id: 'OPEN-FRESH-EMPTY/second-dir',
    requirement: 'OPEN-FRESH-EMPTY',
    title: 'a store opened on a fresh dir is empty, even after another store was written',
    arb: writesArb(),
    show: (ops) => showThen(ops, 'open a second store on a fresh dir'),
    body: async (h, ops, ctx) => {
      const touched = new Touched();
      await applyAll(h, ops, emptyState, touched);
      const other = await ctx.fresh();
      try {
        await expectState(other, emptyState, touched, 'the freshly opened store');
      } finally {
        await other.close().catch(() => {});
      }
    },
  }),
  propertyCheck({
    id: 'OPEN-FRESH-EMPTY/initial',
    requirement: 'OPEN-FRESH-EMPTY',
    title: 'nothing is present before the first write',
    arb: opsArb(5),
    show: showOps,
    body: async (h, ops) => {
      const touched = new Touched();
      for (const o of ops) touched.add(o);
      await expectState(h, emptyState, touched, 'a fresh store');
      await applyChecked(h, ops);
    },
  }),
];
