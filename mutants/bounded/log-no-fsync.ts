// Bug: the hybrid store appends each group commit to its log but never fsyncs it: SIGKILL keeps the page cache,
// so nothing is lost there, while a power cut loses every write since the last snapshot, however old.
// Caught by: LOSS-BOUNDED (its power-loss check).
import type { Implementation } from '../../spec/contract.js';
import { HybridStore, hybridImplementation } from '../../reference/hybrid.js';

class UnsyncedLog extends HybridStore {
  protected override syncLog(): void {
    // BUG: no fsync(fd)
  }
}

const mutant: Implementation = hybridImplementation({ windowMs: 100, name: 'mutant/bounded/log-no-fsync' }, (dir) => new UnsyncedLog(dir, { windowMs: 100 }));
export default mutant;
