/**
 * What every race mutant shares: one shared store plus a count of the isolates that opened it, and a
 * pause that widens the mutant's race window only when another isolate is there to race with.
 */
import { createSharedHandle, handleFrom, isSharedHandle, type SharedHandle } from '../../reference/shared.js';

export interface RaceShared {
  store: SharedHandle;
  /** Isolates that opened the store; the window is widened only when there is someone to race with. */
  isolates: SharedArrayBuffer;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

export function createRaceShared(): RaceShared {
  return { store: createSharedHandle(), isolates: new SharedArrayBuffer(4) };
}

/** Register one more isolate on `shared` (or a private store) and return its store handle and its pause. */
export function joinRace(shared: unknown, windowMs: number): { handle: SharedHandle; widen: () => void } {
  const sh = (shared as RaceShared | undefined) ?? createRaceShared();
  if (!isSharedHandle(sh.store)) throw new TypeError('open({ shared }) expects the result of createShared()');
  const isolates = new Int32Array(sh.isolates);
  Atomics.add(isolates, 0, 1);
  return { handle: handleFrom(sh.store), widen: () => void (Atomics.load(isolates, 0) > 1 && Atomics.wait(pauseCell, 0, 0, windowMs)) };
}
