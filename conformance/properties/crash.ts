/**
 * Crash consistency: stream large writes into a durable store running in its own process and
 * SIGKILL it during a write. After every restart the store must open and hold every acknowledged
 * write; the one write in flight at the kill may be applied wholly or not at all.
 *
 * Large values (256 KiB–1 MiB over a handful of keys, so a whole-state file is several MB) make the
 * store spend much of each write rewriting its file. Each kill lands at a random moment of a write,
 * or earlier, as soon as a file in the store's directory shrinks: a file rewritten in place is then
 * empty or half-written, the window truncate-then-write leaves open, caught on every kill instead of
 * by luck. SIGKILL does not lose the page cache, so a missing fsync is invisible here (that needs a
 * power cut: conformance/powerloss/).
 *
 * Keys and session ids are plain: awkward names are their own requirements' business, so a store
 * that mishandles one fails that requirement, not this one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { emptyState, fingerprint, formatOp, isMutation, opArgs, quote, step, type Op, type State } from '../../spec/model.js';
import { callOp } from '../harness.js';
import { CheckFailure, type Check, type CheckContext, type RunOptions } from '../check.js';
import { ProcessBacked, processSkipReason, type ProcessStore } from './process-backed.js';
import { showOps } from '../observe.js';
import { explain } from '../property.js';
import { shortLabel, type CrashWitness } from '../report/witness.js';

export const DEFAULT_CRASH_KILLS = 12;

/** How many times to kill the store: --crash-kills (or TITAN_CRASH_KILLS, conformance/options.ts), else 12. */
export function crashKills(options: RunOptions): number {
  const n = options.crashKills;
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : DEFAULT_CRASH_KILLS;
}

// A few big entries (several MB of state in all) and a few small ones.
const BIG_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const SMALL_KEYS = ['s0', 's1', 's2', 's3'];
const SESSION = { id: 'user1', keys: ['cart', 'note'] };
const LS_KEYS = [...BIG_KEYS, ...SMALL_KEYS];
const BIG = { min: 256 << 10, max: 1 << 20 };
const SMALL = { min: 0, max: 1024 };

type WriteKind = 'big.set' | 'small.set' | 'small.remove' | 'session.set' | 'session.delete';
interface PlannedWrite {
  readonly kind: WriteKind;
  readonly slot: number;
  readonly size: number;
}

/**
 * Mostly small writes into a big state: a store that rewrites its whole file on every write spends a
 * larger share of each write rewriting the file when the request itself is cheap. Big writes keep
 * the state large and test that a big in-flight value is all or nothing.
 */
const writeArb: fc.Arbitrary<PlannedWrite> = fc
  .record({
    kind: fc.constantFrom<WriteKind>('small.set', 'small.set', 'small.set', 'small.set', 'small.set', 'small.remove', 'big.set', 'big.set', 'session.set', 'session.delete'),
    slot: fc.noBias(fc.nat(1000)),
    size: fc.noBias(fc.integer({ min: 0, max: 1 << 20 })),
  })
  .map((w) => ({ ...w, size: w.kind === 'big.set' ? BIG.min + (w.size % (BIG.max - BIG.min)) : w.size % (SMALL.max + 1) }));

/** Uniform in [0, 1): fast-check's default bias would put most kills at the very start or end of a write. */
const uniform01 = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

/** The writes (cycled) and, per kill, where in its write it lands (0..1). Deterministic for a seed. */
function plan(seed: number, kills: number): { writes: PlannedWrite[]; killAt: number[]; warmup: number[] } {
  const arb = fc.record({
    writes: fc.array(writeArb, { minLength: 64, maxLength: 64 }),
    killAt: fc.array(uniform01, { minLength: kills, maxLength: kills }),
    warmup: fc.array(fc.noBias(fc.integer(BIG)), { minLength: BIG_KEYS.length + 1, maxLength: BIG_KEYS.length + 1 }),
  });
  return fc.sample(arb, { seed, numRuns: 1 })[0]!;
}

/** Write number n as an operation; its value starts with "#n|" so a report can say which write a value came from. */
function toOp(w: PlannedWrite, n: number): Op {
  const value = `#${n}|${'x'.repeat(w.size)}`;
  const small = SMALL_KEYS[w.slot % SMALL_KEYS.length]!;
  const sessionKey = SESSION.keys[w.slot % SESSION.keys.length]!;
  switch (w.kind) {
    case 'big.set':
      return { op: 'ls.set', key: BIG_KEYS[w.slot % BIG_KEYS.length]!, value };
    case 'small.set':
      return { op: 'ls.set', key: small, value };
    case 'small.remove':
      return { op: 'ls.remove', key: small };
    case 'session.set':
      return { op: 'session.set', id: SESSION.id, key: sessionKey, value };
    case 'session.delete':
      return { op: 'session.delete', id: SESSION.id, key: sessionKey };
  }
}

/** Before the first kill: every big key and one session entry hold a big value. */
function warmupOps(sizes: number[]): Op[] {
  const ops: Op[] = BIG_KEYS.map((key, i) => ({ op: 'ls.set', key, value: `#w${i}|${'x'.repeat(sizes[i]!)}` }));
  ops.push({ op: 'session.set', id: SESSION.id, key: SESSION.keys[0]!, value: `#w${BIG_KEYS.length}|${'x'.repeat(sizes[BIG_KEYS.length]!)}` });
  return ops;
}

/** Send a write now; the returned promise settles with its acknowledgement. (The harness would send it a tick later.) */
function send(s: ProcessStore, o: Op): Promise<unknown> {
  return isMutation(o) ? Promise.resolve(callOp(s.storage, o.op, opArgs(o))) : s.h.apply(o);
}

/** Sizes of the files under dir, by path. */
function fileSizes(dir: string): Map<string, number> {
  const sizes = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return sizes;
  }
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      if (st.isFile()) sizes.set(name, st.size);
    } catch {
      // Removed between the listing and the stat: a rename in progress.
    }
  }
  return sizes;
}

/** A file at less than half its size: being rewritten in place (a write's own change is far smaller). */
function shrank(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): boolean {
  for (const [name, size] of now) if (size < (before.get(name) ?? 0) / 2) return true;
  return false;
}

/**
 * SIGKILL the store `delayMs` from now, or as soon as one of its files shrinks, whichever comes
 * first. Polls between event-loop turns so the request still reaches the store's process.
 */
async function killDuringWrite(victim: ProcessStore, delayMs: number, onKill: (afterMs: number, why: string) => void): Promise<void> {
  const before = fileSizes(victim.dir);
  const t0 = performance.now();
  let why = 'at the planned moment';
  while (performance.now() < t0 + delayMs) {
    if (shrank(before, fileSizes(victim.dir))) {
      why = 'when a file in its directory shrank';
      break;
    }
    await new Promise((r) => setImmediate(r));
  }
  onKill(performance.now() - t0, why);
  await victim.storage.kill();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

/** A value in a report: which write it came from and how long it is. */
function showValue(v: string | null | undefined): string {
  if (v === null || v === undefined) return String(v);
  const m = /^#(w?\d+)\|/.exec(v);
  return m ? `write #${m[1]} (${v.length} chars)` : quote(v);
}

function showWrite(o: Op): string {
  return 'value' in o ? formatOp({ ...o, value: '' } as Op).replace(/""\)$/, `${showValue(o.value)})`) : formatOp(o);
}

/** Everything observable in a crash check's key space: every listed ls key and these, and one session's keys. */
export async function readKeySpace(s: ProcessStore, lsKeys: readonly string[], session: { id: string; keys: readonly string[] }): Promise<State> {
  const keys = (await s.h.call('ls.keys', [])) as string[];
  const ls = new Map<string, string>();
  for (const k of new Set([...keys, ...lsKeys])) {
    const v = (await s.h.call('ls.get', [k])) as string | null;
    if (v !== null) ls.set(k, v);
  }
  const entries = new Map<string, string>();
  for (const k of session.keys) {
    const v = (await s.h.call('session.get', [session.id, k])) as string | null;
    if (v !== null) entries.set(k, v);
  }
  return { ls, sessions: entries.size ? new Map([[session.id, entries]]) : new Map() };
}

/** What differs between the observed and the expected state, one line per entry. */
function describeLoss(observed: State, expected: State): string {
  const lines: string[] = [];
  const total = expected.ls.size + [...expected.sessions.values()].reduce((n, e) => n + e.size, 0);
  const seen = observed.ls.size + [...observed.sessions.values()].reduce((n, e) => n + e.size, 0);
  if (seen === 0 && total > 0) lines.push(`the store came back EMPTY: all ${total} acknowledged entries lost`);
  for (const k of new Set([...expected.ls.keys(), ...observed.ls.keys()])) {
    const want = expected.ls.get(k) ?? null;
    const got = observed.ls.get(k) ?? null;
    if (want !== got) lines.push(`ls.get(${quote(k)}) = ${showValue(got)}, acknowledged: ${showValue(want)}`);
  }
  for (const k of SESSION.keys) {
    const want = expected.sessions.get(SESSION.id)?.get(k) ?? null;
    const got = observed.sessions.get(SESSION.id)?.get(k) ?? null;
    if (want !== got) lines.push(`session.get(${quote(SESSION.id)}, ${quote(k)}) = ${showValue(got)}, acknowledged: ${showValue(want)}`);
  }
  return lines.join('\n');
}

const crashConsistent: Check = {
  id: 'CRASH-CONSISTENT/sigkill-during-large-writes',
  slow: true,
  requirement: 'CRASH-CONSISTENT',
  title: 'SIGKILLed at random moments while writing MB-sized state, the store reopens with every acknowledged write',
  // Durable stores only: the registry's appliesTo answers that before this.
  skip: (_caps, ctx) => processSkipReason(ctx),
  async run(ctx: CheckContext) {
    const kills = crashKills(ctx.options);
    const seed = ctx.options.seed;
    const { writes, killAt, warmup } = plan(seed, kills);
    // Rewriting several MB per write can take a while with fsync: allow at least 30 s per request.
    const procs = await ProcessBacked.from(ctx, { requestTimeoutMs: Math.max(ctx.options.timeoutMs, 30_000), processes: kills + 1 });
    let store = await procs.open();
    const fail = (round: number, message: string, story: string[], witness?: CrashWitness): never => {
      throw new CheckFailure('CRASH-CONSISTENT', `SIGKILL ${round} of ${kills}: ${message}`, {
        counterexample: story.join('\n'),
        seed,
        shrunk: false,
        whyNotShrunk: 'a kill lands at a moment no rerun reproduces; every write since the last restart is shown',
        ...(witness ? { witness } : {}),
      });
    };
    let model = emptyState;
    try {
      for (const o of warmupOps(warmup)) model = step(model, (await store.h.apply(o), o)).state;
    } catch (e) {
      fail(0, `building the initial state failed: ${explain(e)}`, []);
    }

    let n = 0;
    const latencies: number[] = [];
    for (let round = 1; round <= kills; round++) {
      const acked: Op[] = [];
      let inflight: Op | null = null;
      let killing: Promise<void> | null = null;
      let killed = false;
      let delay = 0;
      let why = '';
      // One acknowledged write measures the pace; the kill lands during the next one.
      while (!killed) {
        const o = toOp(writes[n % writes.length]!, n);
        n++;
        inflight = o;
        const t0 = performance.now();
        const ack = send(store, o);
        if (acked.length === 1) {
          // Odd kills wait for a file to shrink (up to three writes long), even ones land at a random moment.
          const pace = median(latencies.slice(-8));
          killing = killDuringWrite(store, round % 2 === 1 ? 3 * pace : killAt[round - 1]! * pace, (afterMs, reason) => {
            killed = true;
            delay = afterMs;
            why = reason;
          });
        }
        try {
          await ack;
        } catch (e) {
          if (killed) break;
          fail(round, `a write failed before the kill: ${explain(e)}`, [showOps([...acked, o])]);
        }
        latencies.push(performance.now() - t0);
        model = step(model, o).state;
        acked.push(o);
        inflight = null;
      }
      await killing;

      const story = [
        `SIGKILL ${round} of ${kills} ${why}, ${delay.toFixed(1)} ms after sending write 2 below (a write takes ~${median(latencies.slice(-8)).toFixed(1)} ms; seed ${seed})`,
        'acknowledged writes since the last restart:',
        ...acked.map((o, i) => `  ${i + 1}. ${showWrite(o)}`),
        `in flight at the kill: ${inflight ? showWrite(inflight) : '(none: the kill fell between writes)'}`,
      ];
      const witness = (after: string[]): CrashWitness => ({
        kind: 'crash',
        round,
        kills,
        killAfterMs: delay,
        writeMs: median(latencies.slice(-8)),
        acked: acked.map((o) => shortLabel(showWrite(o))),
        ...(inflight ? { inflight: shortLabel(showWrite(inflight)) } : {}),
        after,
      });
      try {
        store = await procs.open(store.dir);
      } catch (e) {
        fail(round, `after the kill the store could not be opened (${explain(e)}): every acknowledged write is lost`, story, witness([`the store could not be opened: ${explain(e)}`]));
      }
      let observed: State;
      try {
        observed = await readKeySpace(store, LS_KEYS, SESSION);
      } catch (e) {
        return fail(round, `after the kill the reopened store failed to read: ${explain(e)}`, story, witness([`reading failed: ${explain(e)}`]));
      }
      const withInflight = inflight ? step(model, inflight).state : model;
      const got = fingerprint(observed);
      if (got === fingerprint(withInflight)) model = withInflight;
      else if (got !== fingerprint(model)) {
        const loss = describeLoss(observed, model).split('\n');
        fail(round, `after the kill the store lost acknowledged data: ${loss[0]}`, [...story, 'after the restart:', ...loss.map((l) => `  ${l}`)], witness(loss));
      }
    }
    await store.storage.close();
  },
};

export const checks: Check[] = [crashConsistent];
