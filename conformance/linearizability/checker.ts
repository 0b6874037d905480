/**
 * A generic linearizability checker in the style of Porcupine / Knossos: the Wing–Gong search as
 * improved by Lowe (WGL), with memoization of (set of linearized operations, model state). It knows
 * nothing about storage: a model supplies the sequential semantics.
 *
 * A history is linearizable when every operation can be given a point between its call and its
 * return such that, taken in that order, the operations give their observed outputs under the
 * sequential model. An operation that never returned (ret undefined) may take effect at any time
 * after its call, or never, and its output is unconstrained.
 */

/** The output a pending operation is stepped with: the model must accept any output for it. */
export const UNKNOWN: unique symbol = Symbol('unknown output');
export type Unknown = typeof UNKNOWN;

export interface Operation<I, O> {
  /** Who issued it (an isolate, a thread, a process). Only used for display. */
  readonly client: number;
  readonly input: I;
  /** The observed output; ignored when `ret` is undefined. */
  readonly output?: O;
  /** Invocation time. Times of one history share one clock; at equal times, calls order before returns. */
  readonly call: number;
  /** Response time, or undefined when the operation never returned (killed, timed out). */
  readonly ret?: number;
}

export type History<I, O> = readonly Operation<I, O>[];

export interface Model<S, I, O> {
  init(): S;
  /** Apply `input` to `state`: is `output` what the model allows, and the next state. Never mutate `state`. */
  step(state: S, input: I, output: O | Unknown): { ok: boolean; state: S };
  /** Split a history into independent sub-histories (P-compositionality): linearizable iff every part is. */
  partition?(history: History<I, O>): Operation<I, O>[][];
  /** A canonical string: equal states give equal fingerprints. */
  fingerprint(state: S): string;
  describe?(input: I, output: O | Unknown): string;
}

export interface CheckOptions {
  /** Maximum number of model steps, all partitions and the minimization together (default 2,000,000). */
  maxSteps?: number;
  /** Wall-clock budget in ms (default 10,000). */
  timeoutMs?: number;
  /** Search for the smallest non-linearizable sub-history of a failure (default true). */
  minimize?: boolean;
}

export interface NonLinearizable<I, O> {
  /**
   * The smallest non-linearizable sub-history found: a witness. It is not linearizable by itself,
   * and no behaviour of the operations left out (taking effect or not within their call–return
   * interval, with any output) makes it linearizable.
   */
  readonly history: Operation<I, O>[];
  /** How many operations of the failing partition the witness leaves out. */
  readonly omitted: number;
  /** The longest linearization found for the witness, in order: where the search got stuck. */
  readonly longestPrefix: Operation<I, O>[];
  /** Operations of the whole history, and how many partitions it had. */
  readonly size: number;
  readonly partitions: number;
}

export type CheckResult<I, O> =
  | { readonly verdict: 'linearizable'; readonly ok: true; readonly steps: number }
  | { readonly verdict: 'not-linearizable'; readonly ok: false; readonly steps: number; readonly partial: NonLinearizable<I, O> }
  | { readonly verdict: 'unknown'; readonly ok: false; readonly steps: number; readonly reason: string };

class Budget {
  steps = 0;
  readonly deadline: number;
  constructor(
    readonly maxSteps: number,
    readonly timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }
  /** A new budget for follow-up work: what is left, but at least `minSteps` steps and `minMs` ms. */
  rest(minSteps: number, minMs: number): Budget {
    return new Budget(Math.max(this.maxSteps - this.steps, minSteps), Math.max(this.deadline - Date.now(), minMs));
  }
  /** Count one step; true when the budget is spent. */
  spend(): boolean {
    this.steps++;
    if (this.steps > this.maxSteps) return true;
    return (this.steps & 255) === 0 && Date.now() > this.deadline;
  }
  get exhausted(): boolean {
    return this.steps > this.maxSteps || Date.now() > this.deadline;
  }
  reason(): string {
    return this.steps > this.maxSteps ? `step budget of ${this.maxSteps} exhausted` : `time budget of ${this.timeoutMs} ms exhausted`;
  }
}

/** A call or return event in the doubly linked list the search lifts operations out of. */
interface Entry {
  readonly isCall: boolean;
  readonly id: number;
  readonly time: number;
  prev: Entry | null;
  next: Entry | null;
  /** For a call: its return entry. */
  match: Entry | null;
}

/** An operation as the search sees it: `optional` ones may also be linearized as having no effect. */
interface SearchOp<I, O> {
  readonly op: Operation<I, O>;
  readonly optional: boolean;
}

type SearchResult = { verdict: 'linearizable' } | { verdict: 'not-linearizable'; longest: number[] } | { verdict: 'unknown' };

function buildList<I, O>(ops: readonly SearchOp<I, O>[]): Entry {
  const events: Entry[] = [];
  ops.forEach(({ op }, id) => {
    const call: Entry = { isCall: true, id, time: op.call, prev: null, next: null, match: null };
    const ret: Entry = { isCall: false, id, time: op.ret ?? Infinity, prev: null, next: null, match: null };
    call.match = ret;
    events.push(call, ret);
  });
  // Calls before returns at equal times: operations that touch in time count as concurrent.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const head: Entry = { isCall: false, id: -1, time: -Infinity, prev: null, next: null, match: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

/** The WGL search on one (sub-)history. */
function search<S, I, O>(model: Model<S, I, O>, ops: readonly SearchOp<I, O>[], budget: Budget): SearchResult {
  const head = buildList(ops);
  const bits = new Uint16Array(Math.ceil(ops.length / 16) + 1);
  const seen = new Set<string>();
  const stack: { entry: Entry; state: S; alt: number }[] = [];
  let completedLeft = ops.filter(({ op }) => op.ret !== undefined).length;
  let state = model.init();
  let entry: Entry | null = head.next;
  let alt = 0;
  let longest: number[] = [];

  while (completedLeft > 0) {
    if (entry !== null && entry.isCall) {
      const { op, optional } = ops[entry.id]!;
      const alternatives = optional ? 2 : 1;
      let moved = false;
      for (; alt < alternatives; alt++) {
        if (budget.spend()) return { verdict: 'unknown' };
        const r = alt === 0 ? model.step(state, op.input, op.ret === undefined || optional ? UNKNOWN : (op.output as O)) : { ok: true, state };
        if (!r.ok) continue;
        bits[entry.id >> 4]! |= 1 << (entry.id & 15);
        const key = `${String.fromCharCode(...bits)}\u0000${model.fingerprint(r.state)}`;
        if (seen.has(key)) {
          bits[entry.id >> 4]! &= ~(1 << (entry.id & 15));
          continue;
        }
        seen.add(key);
        stack.push({ entry, state, alt });
        state = r.state;
        lift(entry);
        if (op.ret !== undefined) completedLeft--;
        if (stack.length > longest.length) longest = stack.map((s) => s.entry.id);
        moved = true;
        break;
      }
      alt = 0;
      entry = moved ? head.next : entry.next;
    } else {
      // A return whose call is not linearized yet (or the end): undo the last choice.
      const top = stack.pop();
      if (top === undefined) return { verdict: 'not-linearizable', longest };
      entry = top.entry;
      state = top.state;
      bits[entry.id >> 4]! &= ~(1 << (entry.id & 15));
      unlift(entry);
      if (ops[entry.id]!.op.ret !== undefined) completedLeft++;
      alt = top.alt + 1;
    }
  }
  return { verdict: 'linearizable' };
}

const strict = <I, O>(ops: readonly Operation<I, O>[]): SearchOp<I, O>[] => ops.map((op) => ({ op, optional: false }));

/**
 * Shrink a non-linearizable history to a witness. Invariant: the kept operations together with the
 * dropped ones made optional (any output, effect or none within their interval) stay
 * non-linearizable, so the kept ones fail by themselves and nothing dropped can explain them.
 */
function minimize<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: Budget): { kept: Operation<I, O>[]; longest: number[] } {
  const dropped = new Set<number>();
  const order = ops.map((_, i) => i).sort((a, b) => ops[b]!.call - ops[a]!.call);
  for (const i of order) {
    if (budget.exhausted) break;
    dropped.add(i);
    const r = search(model, ops.map((op, j) => ({ op, optional: dropped.has(j) })), budget);
    if (r.verdict !== 'not-linearizable') dropped.delete(i);
  }
  const kept = ops.filter((_, i) => !dropped.has(i));
  const final = search(model, strict(kept), budget.rest(100_000, 200));
  return { kept, longest: final.verdict === 'not-linearizable' ? final.longest : [] };
}

/** Is `history` linearizable with respect to `model`? Bounded: reports `unknown` when the budget runs out. */
export function checkLinearizability<S, I, O>(model: Model<S, I, O>, history: History<I, O>, options: CheckOptions = {}): CheckResult<I, O> {
  const budget = new Budget(options.maxSteps ?? 2_000_000, options.timeoutMs ?? 10_000);
  for (const op of history) {
    if (!Number.isFinite(op.call) || (op.ret !== undefined && !(op.ret >= op.call))) {
      throw new RangeError(`operation of client ${op.client} has call ${op.call} and return ${String(op.ret)}: a return must not precede its call`);
    }
  }
  const parts = model.partition ? model.partition(history).filter((p) => p.length > 0) : [[...history]];
  let unknown = false;
  for (const part of parts) {
    const r = search(model, strict(part), budget);
    if (r.verdict === 'unknown') {
      unknown = true;
      break;
    }
    if (r.verdict === 'linearizable') continue;
    const { kept, longest } =
      options.minimize === false ? { kept: part, longest: r.longest } : minimize(model, part, budget.rest(100_000, Math.min(1000, budget.timeoutMs)));
    return {
      verdict: 'not-linearizable',
      ok: false,
      steps: budget.steps,
      partial: { history: kept, omitted: part.length - kept.length, longestPrefix: longest.map((i) => kept[i]!), size: history.length, partitions: parts.length },
    };
  }
  if (unknown) return { verdict: 'unknown', ok: false, steps: budget.steps, reason: budget.reason() };
  return { verdict: 'linearizable', ok: true, steps: budget.steps };
}

/**
 * Where the search got stuck after `longestPrefix`: the completed operation left out of it that
 * returns first. Every order had to place it before its return, and no remaining one could.
 */
export function stuckOperation<I, O>(history: readonly Operation<I, O>[], longestPrefix: readonly Operation<I, O>[]): Operation<I, O> | undefined {
  const placed = new Set(longestPrefix);
  let stuck: Operation<I, O> | undefined;
  for (const o of history) if (o.ret !== undefined && !placed.has(o) && (stuck === undefined || o.ret < stuck.ret!)) stuck = o;
  return stuck;
}

export interface TimelineOptions<I, O> {
  /** How to name a client (default `client N`). */
  clientName?: (client: number) => string;
  /** Width of the time axis in columns (default 40). */
  width?: number;
}

/**
 * A readable timeline of a history: one block per client, one line per operation with a bar on a
 * shared time axis (ranked event times, so the axis shows order, not duration), its `[call..ret]`
 * and its result. Operations in `longestPrefix` are numbered in their linearization order.
 */
export function renderTimeline<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], longestPrefix: readonly Operation<I, O>[] = [], options: TimelineOptions<I, O> = {}): string {
  const name = options.clientName ?? ((c: number) => `client ${c}`);
  const width = options.width ?? 40;
  const times = [...new Set(history.flatMap((o) => (o.ret === undefined ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const col = (t: number) => (times.length <= 1 ? 0 : Math.round((times.indexOf(t) / (times.length - 1)) * (width - 1)));
  const rank = new Map(longestPrefix.map((o, i) => [o, i + 1]));
  const describe = (o: Operation<I, O>) =>
    model.describe ? model.describe(o.input, o.ret === undefined ? UNKNOWN : (o.output as O)) : `${JSON.stringify(o.input)} -> ${o.ret === undefined ? '?' : JSON.stringify(o.output)}`;
  const clients = [...new Set(history.map((o) => o.client))].sort((a, b) => a - b);
  const label = Math.max(...clients.map((c) => name(c).length), 0);
  const lines: string[] = [];
  for (const c of clients) {
    const mine = history.filter((o) => o.client === c).sort((a, b) => a.call - b.call);
    mine.forEach((o, i) => {
      const from = col(o.call);
      const to = o.ret === undefined ? width - 1 : col(o.ret);
      const bar = ' '.repeat(from) + (o.ret === undefined ? '├' + '┄'.repeat(Math.max(0, to - from - 1)) + '…' : to === from ? '│' : '├' + '─'.repeat(to - from - 1) + '┤');
      const span = `[${o.call}..${o.ret ?? ''}]`;
      const n = rank.get(o);
      const order = n === undefined ? '    ' : `#${String(n).padEnd(3)}`;
      lines.push(`${(i === 0 ? name(c) : '').padEnd(label)} |${bar.padEnd(width)}| ${order} ${span.padEnd(13)} ${describe(o)}${o.ret === undefined ? ' (never returned)' : ''}`);
    });
  }
  return lines.join('\n');
}
