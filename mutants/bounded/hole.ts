// Bug: the hybrid store holds removals back one group commit (to coalesce a remove with a set that follows) but
// commits the sets queued after them: a crash between two commits keeps a later set and loses an earlier removal,
// a hole in the middle of the acknowledged operations, not a lost suffix. A clean close commits everything.
// Caught by: LOSS-BOUNDED.
import type { Implementation } from '../../spec/contract.js';
import { HybridStore, hybridImplementation, type LogOp } from '../../reference/hybrid.js';

class DeferredRemovals extends HybridStore {
  private held: { seq: number; op: LogOp }[] = [];

  protected override takeBatch(final: boolean): { seq: number; op: LogOp }[] {
    const queued = this.pending;
    this.pending = [];
    const batch = [...this.held, ...queued.filter((r) => final || (r.op[0] !== 'r' && r.op[0] !== 'D'))];
    this.held = final ? [] : queued.filter((r) => r.op[0] === 'r' || r.op[0] === 'D'); // BUG: committed after later sets
    return batch;
  }
}

const mutant: Implementation = hybridImplementation({ windowMs: 100, name: 'mutant/bounded/hole' }, (dir) => new DeferredRemovals(dir, { windowMs: 100 }));
export default mutant;
