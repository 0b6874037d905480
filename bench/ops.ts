/**
 * One batch body per storage operation, on a filled fixture. Keys are drawn uniformly from a
 * precomputed table (drawing is not timed). Operations that shrink the store restore what they
 * removed after the batch, untimed, and are limited to batches that only touch existing data.
 */
import { SESSION_WIDTH, sessionEntry, valueFor } from './dataset.js';
import type { Fixture } from './fixture.js';
import type { BatchBody } from './measure.js';
import { mulberry32, uniform } from './random.js';
import type { OpName } from './types.js';

export { OP_NAMES } from '../spec/operations.js';

const PICKS = 1 << 14;

function pickTable(n: number, seed: number): Int32Array {
  const choose = uniform(mulberry32(seed));
  const t = new Int32Array(PICKS);
  for (let i = 0; i < PICKS; i++) t[i] = choose(n);
  return t;
}

export function opBody(op: OpName, fx: Fixture, seed = 7): BatchBody {
  const d = fx.data;
  const n = d.keys;
  const picks = pickTable(n, seed);
  const sessions = d.sessionIds.length;
  let cursor = 0;
  // Where the next remove/delete/clear batch starts; it walks round the data so each batch hits present entries.
  let base = 0;
  const next = () => picks[cursor++ & (PICKS - 1)]!;
  const advance = (count: number, modulo: number) => {
    const from = base;
    base = (base + count) % modulo;
    return from;
  };
  switch (op) {
    case 'ls.get':
      return { maxBatch: Infinity, begin: () => { const ls = fx.storage.ls; return () => ls.get(d.lsKeys[next()]); } };
    case 'ls.set':
      return { maxBatch: Infinity, begin: () => { const ls = fx.storage.ls; return (j) => ls.set(d.lsKeys[next()], valueFor(d, cursor + j)); } };
    case 'ls.keys':
      return { maxBatch: Infinity, begin: () => { const ls = fx.storage.ls; return () => ls.keys(); } };
    case 'ls.remove': {
      let from = 0;
      return {
        maxBatch: Math.max(1, Math.floor(n / 2)),
        begin: (count) => {
          from = advance(count, n);
          const ls = fx.storage.ls;
          return (j) => ls.remove(d.lsKeys[(from + j) % n]);
        },
        end: (count) => fx.restoreLs(from, count),
      };
    }
    case 'ls.clear':
      return { maxBatch: 1, begin: () => { const ls = fx.storage.ls; return () => ls.clear(); }, end: () => fx.refillLs() };
    case 'session.get':
      return {
        maxBatch: Infinity,
        begin: () => {
          const s = fx.storage.session;
          return () => {
            const i = next();
            return s.get(d.sessionIds[Math.floor(i / SESSION_WIDTH)], d.sessionKeys[i % SESSION_WIDTH]);
          };
        },
      };
    case 'session.set':
      return {
        maxBatch: Infinity,
        begin: () => {
          const s = fx.storage.session;
          return (j) => {
            const i = next();
            return s.set(d.sessionIds[Math.floor(i / SESSION_WIDTH)], d.sessionKeys[i % SESSION_WIDTH], valueFor(d, cursor + j));
          };
        },
      };
    case 'session.delete': {
      let from = 0;
      return {
        maxBatch: Math.max(1, Math.floor(n / 2)),
        begin: (count) => {
          from = advance(count, n);
          const s = fx.storage.session;
          return (j) => {
            const [id, key] = sessionEntry(d, (from + j) % n);
            return s.delete(id, key);
          };
        },
        end: (count) => fx.restoreSessionEntries(from, count),
      };
    }
    case 'session.clear': {
      let from = 0;
      return {
        maxBatch: Math.max(1, Math.floor(sessions / 2)),
        begin: (count) => {
          from = advance(count, sessions);
          const s = fx.storage.session;
          return (j) => s.clear(d.sessionIds[(from + j) % sessions]);
        },
        // Session k holds entries [k * SESSION_WIDTH, (k + 1) * SESSION_WIDTH).
        end: async (count) => {
          for (let j = 0; j < count; j++) {
            const k = (from + j) % sessions;
            await fx.restoreSessionEntries(k * SESSION_WIDTH, Math.min(SESSION_WIDTH, n - k * SESSION_WIDTH));
          }
        },
      };
    }
  }
}
