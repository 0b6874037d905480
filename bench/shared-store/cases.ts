/**
 * The timed cases of the shared-store benchmark. Each runs a batch on a filled store and returns
 * nanoseconds per operation; what a case must undo (re-adding removed keys, refilling a cleared
 * session) happens outside the timed span.
 */
import { SESSION_WIDTH, type Dataset, sessionEntry, valueFor } from '../dataset.js';
import type { SyncStorage } from './subjects.js';

export interface Fixture {
  data: Dataset;
  /** Uniformly random entry indices. */
  picks: Int32Array;
}

export interface Case {
  id: string;
  /** What the target compares it with. */
  target: string;
  /** Store sizes it runs at. */
  sizes: readonly number[];
  run(s: SyncStorage, fx: Fixture): number;
}

let sink = 0;
/** Keeps results alive so the JIT cannot drop the reads. */
export const checksum = () => sink;

const now = () => performance.now();
const BATCH = 5_000;

function timed(n: number, body: (j: number) => void): number {
  const t = now();
  for (let j = 0; j < n; j++) body(j);
  return ((now() - t) * 1e6) / n;
}

export function fill(s: SyncStorage, data: Dataset): void {
  for (let i = 0; i < data.keys; i++) s.ls.set(data.lsKeys[i]!, valueFor(data, i));
  for (let i = 0; i < data.sessionEntries; i++) {
    const [id, k] = sessionEntry(data, i);
    s.session.set(id, k, valueFor(data, i));
  }
}

let cursor = 0;
const pick = (fx: Fixture) => fx.picks[cursor++ & (fx.picks.length - 1)]!;

export const CASES: readonly Case[] = [
  {
    id: 'ls.get',
    target: '≤ 5× raw Map',
    sizes: [1000, 100_000],
    run: (s, fx) => timed(BATCH, () => void (sink += s.ls.get(fx.data.lsKeys[pick(fx)]!)!.length)),
  },
  {
    id: 'session.get',
    target: '≤ 5× raw Map',
    sizes: [1000, 100_000],
    run: (s, fx) =>
      timed(BATCH, () => {
        const [id, k] = sessionEntry(fx.data, pick(fx));
        sink += s.session.get(id, k)!.length;
      }),
  },
  {
    id: 'ls.set',
    target: '≤ 10× raw Map',
    sizes: [1000, 100_000],
    run: (s, fx) =>
      timed(BATCH, (j) => {
        const i = pick(fx);
        s.ls.set(fx.data.lsKeys[i]!, valueFor(fx.data, i + j));
      }),
  },
  {
    id: 'session.set',
    target: '≤ 10× raw Map',
    sizes: [1000, 100_000],
    run: (s, fx) =>
      timed(BATCH, (j) => {
        const i = pick(fx);
        const [id, k] = sessionEntry(fx.data, i);
        s.session.set(id, k, valueFor(fx.data, i + j));
      }),
  },
  {
    id: 'ls.remove',
    target: '≤ 10× raw Map',
    sizes: [1000, 100_000],
    run(s, fx) {
      const n = Math.min(1000, fx.data.keys / 4);
      const start = pick(fx);
      const key = (j: number) => fx.data.lsKeys[(start + j) % fx.data.keys]!;
      const ns = timed(n, (j) => s.ls.remove(key(j)));
      for (let j = 0; j < n; j++) s.ls.set(key(j), valueFor(fx.data, (start + j) % fx.data.keys));
      return ns;
    },
  },
  {
    id: 'ls.keys',
    target: '≤ 5× [...map.keys()]',
    sizes: [1000],
    run: (s) => timed(200, () => void (sink += s.ls.keys().length)),
  },
  {
    id: 'ls.keys after a change',
    target: 'none (the key set changed since the last call: nothing cached to reuse)',
    sizes: [1000],
    run(s, fx) {
      let total = 0;
      for (let j = 0; j < 50; j++) {
        const k = fx.data.lsKeys[pick(fx)]!;
        s.ls.remove(k);
        s.ls.set(k, valueFor(fx.data, j));
        const t = now();
        sink += s.ls.keys().length;
        total += now() - t;
      }
      return (total * 1e6) / 50;
    },
  },
  {
    id: 'session.clear',
    target: "independent of the store size (10-key session): growth from 1 000 to 100 000 keys at most 2× or the raw Map's own",
    sizes: [1000, 100_000],
    run(s, fx) {
      const sessions = fx.data.sessionIds.length;
      const n = Math.min(10, sessions);
      const first = pick(fx) % sessions;
      const id = (j: number) => fx.data.sessionIds[(first + j) % sessions]!;
      const ns = timed(n, (j) => s.session.clear(id(j)));
      for (let j = 0; j < n; j++) for (let k = 0; k < SESSION_WIDTH; k++) s.session.set(id(j), fx.data.sessionKeys[k]!, valueFor(fx.data, k));
      return ns;
    },
  },
];
