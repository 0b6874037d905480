/**
 * The storage API as a model for the linearizability checker: inputs are model operations
 * (spec/model.ts), outputs are what they returned. The store is a product of independent objects,
 * so histories are split per object (P-compositionality): per ls key, or all of local storage when
 * the history has an ls.clear or ls.keys; per (session id, key), or the whole session when the
 * history clears it. Local storage and sessions never share an object (LS-CLEAR, ISO-LS-SESSION).
 */
import { checkLinearizability, renderTimeline, UNKNOWN, type CheckOptions, type CheckResult, type History, type Model, type Operation } from './checker.js';
import { emptyState, fingerprint, formatOp, formatOutput, outputsEqual, step, type Op, type Output, type State } from '../../spec/model.js';

export type StorageOperation = Operation<Op, Output>;

/** The object an operation touches, as a partition key. */
function objectOf(o: Op, lsWhole: boolean, sessionsWhole: ReadonlySet<string>): string {
  switch (o.op) {
    case 'ls.clear':
    case 'ls.keys':
      return 'ls';
    case 'ls.get':
    case 'ls.set':
    case 'ls.remove':
      return lsWhole ? 'ls' : JSON.stringify(['ls', o.key]);
    case 'session.clear':
      return JSON.stringify(['session', o.id]);
    default:
      return sessionsWhole.has(o.id) ? JSON.stringify(['session', o.id]) : JSON.stringify(['session', o.id, o.key]);
  }
}

export function partitionStorageHistory(history: History<Op, Output>): StorageOperation[][] {
  const lsWhole = history.some((o) => o.input.op === 'ls.clear' || o.input.op === 'ls.keys');
  const sessionsWhole = new Set(history.flatMap((o) => (o.input.op === 'session.clear' ? [o.input.id] : [])));
  const parts = new Map<string, StorageOperation[]>();
  for (const o of history) {
    const k = objectOf(o.input, lsWhole, sessionsWhole);
    let part = parts.get(k);
    if (!part) parts.set(k, (part = []));
    part.push(o);
  }
  return [...parts.values()];
}

export const storageModel: Model<State, Op, Output> = {
  init: () => emptyState,
  step(state, input, output) {
    const r = step(state, input);
    return { ok: output === UNKNOWN || outputsEqual(r.output, output), state: r.state };
  },
  partition: partitionStorageHistory,
  fingerprint,
  describe(input, output) {
    if (output === UNKNOWN) return `${formatOp(input)} -> ?`;
    return output === undefined ? formatOp(input) : `${formatOp(input)} -> ${formatOutput(output)}`;
  },
};

/** The same model without partitioning: the whole history is one search (for cross-checking). */
export const storageModelWhole: Model<State, Op, Output> = { ...storageModel, partition: undefined };

export function checkStorageHistory(history: History<Op, Output>, options?: CheckOptions): CheckResult<Op, Output> {
  return checkLinearizability(storageModel, history, options);
}

/** A failure as text: the witness per isolate, and what the search could explain. */
export function renderStorageFailure(result: CheckResult<Op, Output>): string {
  if (result.verdict !== 'not-linearizable') return result.verdict === 'unknown' ? `linearizability unknown: ${result.reason}` : 'linearizable';
  const p = result.partial;
  const lines = [
    `not linearizable: these ${p.history.length} operations (of ${p.size}) have no valid order.`,
    'Bars show call..return on a shared axis; #n is the longest order found before the search got stuck.',
    renderTimeline(storageModel, p.history, p.longestPrefix, { clientName: (c) => `isolate ${c}` }),
  ];
  if (p.omitted > 0) lines.push(`(${p.omitted} other operations on the same object are omitted: whatever they returned, taking effect or not, they cannot explain this.)`);
  return lines.join('\n');
}
