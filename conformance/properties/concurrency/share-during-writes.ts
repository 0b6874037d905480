/**
 * SHARE-VISIBLE while reads overlap the writes: one isolate reads every key over and over while
 * another writes, then once more after the writes returned. That last round must see them all. A
 * store that caches what a reader saw in the middle of a write (under a version the write had
 * already published) passes the sequential check and fails here.
 */
import { SequentialHistory, type Witness } from '../../report/witness.js';
import fc from 'fast-check';
import { type Check } from '../../check.js';
import { Mismatch } from '../../property.js';
import { formatOp, formatOutput, outputsEqual, run, step, type Op } from '../../../spec/model.js';
import { needsModulePath, LS_KEYS, SESSION_IDS, SESSION_KEYS, startPool, openFresh, crossIsolateProperty } from './isolates.js';
import { mutationArb } from './share-visible.js';

/** Every key holds a value first, so the writes overwrite (the path where a store publishes a new version). */
const PRELOAD: Op[] = [
  ...LS_KEYS.map((key): Op => ({ op: 'ls.set', key, value: `preload:${key}` })),
  ...SESSION_IDS.flatMap((id) => SESSION_KEYS.map((key): Op => ({ op: 'session.set', id, key, value: `preload:${id}:${key}` }))),
];

/** One round of reads: every key the writes can touch. */
const PROBES: Op[] = [
  ...LS_KEYS.map((key): Op => ({ op: 'ls.get', key })),
  { op: 'ls.keys' },
  ...SESSION_IDS.flatMap((id) => SESSION_KEYS.map((key): Op => ({ op: 'session.get', id, key }))),
];

/** Pauses between rounds of reads, in ms: spaced reads find a value cached mid-write, back-to-back reads find torn ones. */
const pauseArb = fc.constantFrom(1, 0.2, 0.05, 0);

/** Each write may shrink to nothing, so shrinking can drop a write at any position (an array shrinks only from its start). */
const writesArb = fc.array(fc.option(mutationArb, { nil: undefined, freq: 8 }), { minLength: 1, maxLength: 8 }).map((w) => w.filter((o) => o !== undefined));

const planArb = fc.record({ writer: fc.nat(1), writes: writesArb, pauseMs: pauseArb });

const readerDoes = (pauseMs: number) => (pauseMs > 0 ? `reads every key every ${pauseMs} ms` : 'reads every key over and over');

export const shareDuringWrites: Check = {
  id: 'SHARE-VISIBLE/during-writes',
  requirement: 'SHARE-VISIBLE',
  title: 'reads in one isolate that overlap writes in another see every write once it has returned',
  skip: needsModulePath,
  async run(ctx) {
    const pool = await startPool(ctx, 2);
    let lastWitness: Witness | undefined;
    await crossIsolateProperty(
      ctx,
      'SHARE-VISIBLE',
      planArb,
      async ({ writer, writes, pauseMs }) => {
        const reader = 1 - writer;
        await openFresh(ctx, pool);
        await pool.run(writer, PRELOAD);
        const state = run([...PRELOAD, ...writes]).state;
        const { outputs, rounds } = await pool.readDuring(reader, PROBES, writer, writes, pauseMs);
        const history = new SequentialHistory([0, 1].map((k) => `isolate ${k}`));
        writes.forEach((o) => history.record(writer, o));
        PROBES.forEach((p, i) => {
          const expected = step(state, p).output;
          history.record(reader, p, outputs[i]);
          if (!outputsEqual(expected, outputs[i])) {
            lastWitness = history.witness(formatOutput(expected));
            throw new Mismatch(`isolate ${reader} read every key ${rounds - 1} times while isolate ${writer} wrote (${readerDoes(pauseMs)}); after the writes returned, ${formatOp(p)} returned ${formatOutput(outputs[i])}; expected ${formatOutput(expected)}`);
          }
        });
      },
      {
        runs: ctx.options.runs,
        timeLimitMs: 8_000,
        retriesWhileShrinking: 2,
        show: ({ writer, writes, pauseMs }) => `  isolate ${writer} sets every key, then, while isolate ${1 - writer} ${readerDoes(pauseMs)}:\n${writes.map((o) => `    ${formatOp(o)}`).join('\n')}`,
      },
      () => undefined,
      () => lastWitness,
    );
  },
};
