/**
 * Trying crash states of one recording: each distinct state is materialized and judged as a fresh
 * driver process reads it (materialize.ts). A failing state is blamed on power loss only when the SIGKILL state at the same
 * cut (every write kept) passes: what SIGKILL already shows belongs to CRASH-CONSISTENT.
 */
import { run as runModel, type Op } from '../../spec/model.js';
import { materializeTree, treeDigest, type Fate } from './crash-states.js';
import { judgeTree, type CrashStateReader, type Expectation, type Pools } from './materialize.js';
import { candidates, fatesFor, type Candidate } from './sample.js';
import type { TimedEvent } from './trace.js';

export interface Failure {
  readonly candidate: Candidate;
  readonly problem: readonly string[];
  readonly acked: number;
  readonly inflight: boolean;
}

export interface Exploration {
  /** Distinct crash states judged (SIGKILL states for blame included). */
  readonly tried: number;
  readonly cutsTried: number;
  /** Cuts whose SIGKILL state already loses data (CRASH-CONSISTENT's to report). */
  readonly sigkillVisible: number;
  /** Cuts where a crash state held everything or SIGKILL lost nothing: where power loss itself was judged. */
  readonly judgedCuts: number;
  readonly timeUp: boolean;
  readonly failure?: Failure;
}

export class Explorer {
  private readonly verdicts = new Map<string, readonly string[] | null>();
  private readonly sigkill = new Map<number, boolean>();

  constructor(
    private readonly reader: CrashStateReader,
    private readonly timeoutMs: number,
    private readonly scratch: string,
    private readonly pools: Pools,
    readonly ops: readonly Op[],
    readonly events: readonly TimedEvent[],
  ) {}

  /** How many operations were acknowledged before `cut`, and whether one was in flight. */
  progressAt(cut: number): { acked: number; inflight: boolean } {
    let opened = false;
    let acked = 0;
    for (const e of this.events.slice(0, cut)) {
      if (e.kind !== 'ack') continue;
      if (e.id === 1) opened = true;
      else if (e.id <= this.ops.length + 1) acked = Math.max(acked, e.id - 1);
    }
    return { acked, inflight: opened && acked < this.ops.length };
  }

  expectationAt(cut: number): Expectation {
    const { acked, inflight } = this.progressAt(cut);
    return {
      acked: runModel(this.ops.slice(0, acked)).state,
      withInflight: inflight ? runModel(this.ops.slice(0, acked + 1)).state : null,
    };
  }

  /** Judge the state `fates` leaves at `candidate`'s cut (memoized by content and expectation). */
  async judge(candidate: Candidate, fates: readonly Fate[] = candidate.fates): Promise<{ problem: readonly string[] | null; fresh: boolean }> {
    const s = candidate.state;
    const tree = materializeTree(s, (p) => fates[s.pending.indexOf(p)] ?? 'keep');
    const { acked, inflight } = this.progressAt(s.cut);
    const key = `${treeDigest(tree)}|${acked}|${inflight}`;
    if (this.verdicts.has(key)) return { problem: this.verdicts.get(key)!, fresh: false };
    const problem = await judgeTree(this.reader, this.timeoutMs, this.scratch, tree, this.expectationAt(s.cut), this.pools);
    this.verdicts.set(key, problem);
    return { problem, fresh: true };
  }

  private async sigkillPasses(candidate: Candidate): Promise<boolean> {
    const cut = candidate.state.cut;
    if (!this.sigkill.has(cut)) {
      const { problem } = await this.judge(candidate, fatesFor('sigkill', candidate.state.pending));
      this.sigkill.set(cut, problem === null);
    }
    return this.sigkill.get(cut)!;
  }

  /** Judge up to `budget` distinct states (or until `deadline`, ms since the epoch); stop at the first blamed failure. */
  async explore(seed: number, budget: number, deadline: number): Promise<Exploration> {
    let tried = 0;
    let timeUp = false;
    const cuts = new Set<number>();
    const judged = new Set<number>();
    for (const c of candidates(this.events, seed)) {
      if (tried >= budget) break;
      if (Date.now() > deadline) {
        timeUp = true;
        break;
      }
      if (this.sigkill.get(c.state.cut) === false) continue;
      const { problem, fresh } = await this.judge(c);
      if (!fresh) continue;
      tried++;
      cuts.add(c.state.cut);
      if (problem === null) {
        judged.add(c.state.cut);
        continue;
      }
      if (!(await this.sigkillPasses(c))) continue;
      const { acked, inflight } = this.progressAt(c.state.cut);
      return { tried, cutsTried: cuts.size, sigkillVisible: this.sigkillVisible(), judgedCuts: judged.size + 1, timeUp, failure: { candidate: c, problem, acked, inflight } };
    }
    return { tried, cutsTried: cuts.size, sigkillVisible: this.sigkillVisible(), judgedCuts: judged.size, timeUp };
  }

  private sigkillVisible(): number {
    return [...this.sigkill.values()].filter((ok) => !ok).length;
  }

  /**
   * The changes that lose data on their own: each lost or torn change of the failing state is tried
   * alone (everything else kept), latest first, at most `tries` of them.
   */
  async culprits(f: Failure, tries = 8, max = 3): Promise<{ index: number; problem: readonly string[] }[]> {
    const c = f.candidate;
    const lost = c.fates.flatMap((fate, i) => (fate === 'keep' ? [] : [i])).reverse().slice(0, tries);
    const found: { index: number; problem: readonly string[] }[] = [];
    for (const i of lost) {
      const only = c.state.pending.map((_, j) => (j === i ? c.fates[i]! : 'keep'));
      const { problem } = await this.judge(c, only);
      if (problem) found.push({ index: i, problem });
      if (found.length >= max) break;
    }
    return found;
  }
}
