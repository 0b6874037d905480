/**
 * Which crash states to try, in order, for a seed: first the harshest state right after every
 * acknowledgement (only synced changes survive), then at every cut the three systematic states
 * (everything unsynced lost; file data lost but directory changes kept; data kept but directory
 * changes undone), shuffled, then seeded random mixtures (each change kept, lost or torn).
 * The explorer tries distinct states from this stream until its budget is spent.
 */
import { mulberry32 } from '../../bench/random.js';
import { stateAt, type CutState, type Fate, type Pending } from './crash-states.js';
import type { TimedEvent } from './trace.js';

export type StateKind = 'synced-only' | 'data-lost' | 'entries-lost' | 'random' | 'sigkill';

export interface Candidate {
  readonly kind: StateKind;
  readonly state: CutState;
  /** One fate per pending change of `state`, in order. */
  readonly fates: readonly Fate[];
}

export const KIND_TEXT: Record<StateKind, string> = {
  'synced-only': 'only what was fsynced survived',
  'data-lost': 'unsynced file data lost, directory changes kept',
  'entries-lost': 'unsynced directory changes undone, file data kept',
  random: 'a random mixture of unsynced changes kept, lost and torn',
  sigkill: 'everything written survived (what SIGKILL leaves)',
};

export function fatesFor(kind: Exclude<StateKind, 'random'>, pending: readonly Pending[]): Fate[] {
  return pending.map((p) => {
    if (kind === 'sigkill') return 'keep';
    if (kind === 'synced-only') return 'drop';
    if (kind === 'data-lost') return p.target === 'data' ? 'drop' : 'keep';
    return p.target === 'entry' ? 'drop' : 'keep';
  });
}

function randomFates(pending: readonly Pending[], rand: () => number): Fate[] {
  return pending.map((p) => {
    const r = rand();
    if (r < 0.4) return 'drop';
    if (r < 0.7 || p.event.kind !== 'write' || p.event.data.length < 2) return 'keep';
    return { prefix: Math.floor(rand() * p.event.data.length) };
  });
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Every cut worth trying: before the first event and after every event. */
export function cutsOf(events: readonly TimedEvent[]): number[] {
  return Array.from({ length: events.length + 1 }, (_, i) => i);
}

/** The stream of candidate crash states for `events`, deterministic for `seed`; `randomRounds` bounds the random tail. */
export function* candidates(events: readonly TimedEvent[], seed: number, randomRounds = 400): Generator<Candidate> {
  const rand = mulberry32(seed ^ 0x5eed);
  const cache = new Map<number, CutState>();
  const at = (cut: number) => {
    let s = cache.get(cut);
    if (!s) cache.set(cut, (s = stateAt(events, cut)));
    return s;
  };
  const withPending = cutsOf(events).filter((c) => at(c).pending.length > 0);
  const ackCuts = events.flatMap((e, i) => (e.kind === 'ack' ? [i + 1] : [])).filter((c) => at(c).pending.length > 0);
  for (const cut of ackCuts) yield { kind: 'synced-only', state: at(cut), fates: fatesFor('synced-only', at(cut).pending) };
  const systematic = shuffle(
    withPending.flatMap((cut) => (['synced-only', 'data-lost', 'entries-lost'] as const).map((kind) => ({ cut, kind }))),
    rand,
  );
  for (const { cut, kind } of systematic) yield { kind, state: at(cut), fates: fatesFor(kind, at(cut).pending) };
  for (let i = 0; i < randomRounds && withPending.length > 0; i++) {
    const s = at(withPending[Math.floor(rand() * withPending.length)]!);
    yield { kind: 'random', state: s, fates: randomFates(s.pending, rand) };
  }
}
