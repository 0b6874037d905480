// Bug: ls.clear() lists the keys, then removes them one by one, each removal under its own write-lock
// acquisition. Alone it empties the store; with other isolates running, a concurrent keys()/get sees a
// half-cleared store, and a key set concurrently may survive the clear or not depending on where it
// lands in the list. Caught by: LIN-LINEARIZABLE (no sequential order explains a keys() result holding
// part of the pre-clear keys).
// The race window is widened on purpose: a ~0.3 ms pause between removals once two or more isolates have
// opened the store, so a short test hits it reliably. Built on reference/shared.ts.
import type { Implementation } from '../../spec/contract.js';
import { openShared, TAG_LS } from '../../reference/shared.js';
import { createRaceShared, joinRace } from '../support/race-window.js';

const WINDOW_MS = 0.3;

const mutant: Implementation = {
  name: 'mutant/race/nonatomic-clear',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  createShared: createRaceShared,
  open({ dir, shared }) {
    const { handle, widen } = joinRace(shared, WINDOW_MS);
    const s = openShared(handle, dir);
    return {
      ...s,
      ls: {
        ...s.ls,
        clear() {
          for (const key of s.map.keysLocked(s.tagBase + TAG_LS)) {
            s.map.delLocked(s.tagBase + TAG_LS, '', key); // BUG: one lock per key instead of one for the whole clear
            widen();
          }
        },
      },
    };
  },
};
export default mutant;
