/**
 * A failure's evidence as data, for pictures (report/html/history-svg.ts) and the JSON report: a
 * concurrent history (LIN-LINEARIZABLE, SHARE-VISIBLE) or a crash story (CRASH-CONSISTENT). Labels
 * are short display strings; long values are cut so a report stays small.
 */
import { stuckOperation, UNKNOWN, type CheckResult as LinResult, type Operation } from '../linearizability/checker.js';
import { formatOutput, opArgs, quote, type Op, type Output } from '../../spec/model.js';

export interface HistoryOp {
  /** Index into `lanes`. */
  readonly lane: number;
  readonly call: number;
  /** Absent when the operation never returned. */
  readonly ret?: number;
  readonly input: string;
  readonly output?: string;
  /** Not part of the witness: another operation of the run in the same time window, shown for context. */
  readonly context?: true;
}

export interface HistoryWitness {
  readonly kind: 'history';
  /** One per isolate or client. */
  readonly lanes: string[];
  readonly ops: HistoryOp[];
  /** Indices into `ops`: the longest linearization found, in order. */
  readonly linearization: number[];
  /** Index into `ops` of the operation no valid order could place. */
  readonly stuck?: number;
  /** One line under the picture. */
  readonly note: string;
}

export interface CrashWitness {
  readonly kind: 'crash';
  readonly round: number;
  readonly kills: number;
  /** When the kill landed, after sending the second write, and the typical duration of one write. */
  readonly killAfterMs: number;
  readonly writeMs: number;
  readonly acked: string[];
  readonly inflight?: string;
  /** What came back after the restart, one line per entry that differs (or why nothing did). */
  readonly after: string[];
}

export type Witness = HistoryWitness | CrashWitness;

const MAX_LABEL = 64;

/** A label cut to a readable length, saying how long the whole was. */
export function shortLabel(s: string): string {
  return s.length <= MAX_LABEL ? s : `${s.slice(0, MAX_LABEL - 12)}…(${s.length} chars)`;
}

/** Arguments and results with long strings cut, e.g. `ls.set("a", "0.3:DDDD…" (2004 chars))`. */
const opLabel = (o: Op) => shortLabel(`${o.op}(${opArgs(o).map((a) => quote(a, 10)).join(', ')})`);
const outLabel = (x: unknown) =>
  shortLabel(typeof x === 'string' ? quote(x, 10) : Array.isArray(x) ? `[${x.map((k) => (typeof k === 'string' ? quote(k, 8) : String(k))).join(', ')}]` : formatOutput(x));

/** At most this many operations of the run outside the witness are shown beside it. */
const MAX_CONTEXT = 24;

/** Operations of `whole` outside the witness that overlap its time window, nearest first. */
function contextOps(witness: readonly StorageOp[], whole: readonly StorageOp[]): StorageOp[] {
  const inWitness = new Set(witness);
  const from = Math.min(...witness.map((o) => o.call));
  const to = Math.max(...witness.map((o) => o.ret ?? o.call));
  const overlapping = whole.filter((o) => !inWitness.has(o) && o.call <= to && (o.ret ?? Infinity) >= from);
  const distance = (o: StorageOp) => Math.max(0, from - (o.ret ?? Infinity), o.call - to);
  return overlapping.sort((a, b) => distance(a) - distance(b)).slice(0, MAX_CONTEXT);
}

type StorageOp = Operation<Op, Output>;

/**
 * The witness of a non-linearizable storage history, with its longest linearization and stuck
 * operation; with `whole` (the run's history), the other operations of its time window as context.
 */
export function linearizabilityWitness(result: LinResult<Op, Output>, laneName: (client: number) => string, whole: readonly StorageOp[] = []): HistoryWitness | undefined {
  if (result.verdict !== 'not-linearizable') return undefined;
  const p = result.partial;
  const shown = [...p.history, ...contextOps(p.history, whole)];
  const clients = [...new Set(shown.map((o) => o.client))].sort((a, b) => a - b);
  const index = new Map<StorageOp, number>(p.history.map((o, i) => [o, i]));
  const stuck = stuckOperation(p.history, p.longestPrefix);
  return {
    kind: 'history',
    lanes: clients.map(laneName),
    ops: shown.map((o, i) => ({
      lane: clients.indexOf(o.client),
      call: o.call,
      ...(o.ret === undefined ? {} : { ret: o.ret }),
      input: opLabel(o.input),
      ...(o.ret === undefined || o.output === undefined || (o.output as unknown) === UNKNOWN ? {} : { output: outLabel(o.output) }),
      ...(i >= p.history.length ? { context: true as const } : {}),
    })),
    linearization: p.longestPrefix.map((o) => index.get(o)!),
    ...(stuck === undefined ? {} : { stuck: index.get(stuck)! }),
    note: `these ${p.history.length} of ${p.size} operations have no valid order${p.omitted ? ` (${p.omitted} more on the same object cannot explain it)` : ''}${shown.length > p.history.length ? '; faded: other operations at that time' : ''}`,
  };
}

/** Records a sequential cross-isolate run (SHARE-VISIBLE) as a history: each call gets the next two ticks. */
export class SequentialHistory {
  private readonly ops: HistoryOp[] = [];
  private tick = 0;
  constructor(private readonly lanes: string[]) {}

  record(lane: number, input: Op, output?: unknown): void {
    const call = this.tick++;
    const ret = this.tick++;
    this.ops.push({ lane, call, ret, input: opLabel(input), ...(output === undefined ? {} : { output: outLabel(output) }) });
  }

  /** The history so far, the last operation being the one that saw the wrong result. */
  witness(expected: string): HistoryWitness {
    const n = this.ops.length;
    return {
      kind: 'history',
      lanes: this.lanes,
      ops: [...this.ops],
      linearization: [...Array(Math.max(0, n - 1)).keys()],
      ...(n ? { stuck: n - 1 } : {}),
      note: `the last read should have returned ${shortLabel(expected)}`,
    };
  }
}
