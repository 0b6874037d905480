/** A readers–writer lock in shared memory, with a write sequence for lock-free validated reads. */
import { C_LOCK, C_SEQ, C_SLEEPERS } from './layout.js';

const R_COUNT = 0x000fffff; // readers holding (or, for an instant, backing off)
const R_WAITING_WRITER = 1 << 20; // one unit per writer waiting: bits 20..29
const R_WAITING_MASK = 0x3ff00000;
const R_WRITER = 1 << 30; // a writer holds the lock
const SPINS = 64;
/** Sleeps are bounded so a lost wake-up (there should be none) costs a pause, not a hang. */
const SLEEP_MS = 20;

/**
 * A readers–writer lock in one word of shared memory (plus a count of sleepers, so releasing
 * skips Atomics.notify when nobody sleeps). The word holds the reader count, the number of writers
 * waiting, and a writer-holds bit. A reader takes the lock with one Atomics.add when no writer holds
 * or waits (writers are preferred, so a stream of readers cannot starve them); otherwise it backs
 * off and sleeps. A writer takes it with one compareExchange when no reader or writer holds it.
 * Not reentrant.
 */
export class RwLock {
  constructor(
    private readonly words: Int32Array,
    private readonly state = C_LOCK,
    private readonly sleepers = C_SLEEPERS,
    private readonly seq = C_SEQ,
  ) {}

  /**
   * A stamp for an optimistic read (a seqlock): the write sequence, or -1 while a writer holds the lock. Words read
   * after taking the stamp were read while no writer ran if `validate(stamp)` holds afterwards.
   */
  optimisticStamp(): number {
    const seq = Atomics.load(this.words, this.seq) & 0x7fffffff;
    return (Atomics.load(this.words, this.state) & R_WRITER) !== 0 ? -1 : seq;
  }

  /**
   * No writer held the lock since `stamp` was taken. A writer bumps the sequence before it lets go, so one that came
   * and went shows in the sequence and one still inside shows in the writer bit (read first, for that reason).
   */
  validate(stamp: number): boolean {
    return stamp >= 0 && (Atomics.load(this.words, this.state) & R_WRITER) === 0 && (Atomics.load(this.words, this.seq) & 0x7fffffff) === stamp;
  }

  readLock(): void {
    const w = this.words;
    if ((Atomics.add(w, this.state, 1) & ~R_COUNT) === 0) return;
    this.backOff();
    for (let spins = 0; ; spins++) {
      const s = Atomics.load(w, this.state);
      if ((s & ~R_COUNT) === 0) {
        if ((Atomics.add(w, this.state, 1) & ~R_COUNT) === 0) return;
        this.backOff();
      } else if (spins >= SPINS) {
        this.sleep(s);
      }
    }
  }

  readUnlock(): void {
    const prev = Atomics.sub(this.words, this.state, 1);
    // The last reader out wakes a waiting writer.
    if ((prev & R_COUNT) === 1 && (prev & R_WAITING_MASK) !== 0) this.wake();
  }

  writeLock(): void {
    const w = this.words;
    if (Atomics.compareExchange(w, this.state, 0, R_WRITER) === 0) return;
    Atomics.add(w, this.state, R_WAITING_WRITER);
    for (let spins = 0; ; spins++) {
      const s = Atomics.load(w, this.state);
      if ((s & (R_COUNT | R_WRITER)) === 0) {
        // Take the lock and drop our waiting mark in one step.
        if (Atomics.compareExchange(w, this.state, s, s - R_WAITING_WRITER + R_WRITER) === s) return;
      } else if (spins >= SPINS) {
        this.sleep(s);
      }
    }
  }

  writeUnlock(): void {
    Atomics.add(this.words, this.seq, 1); // before the writer bit goes: see validate()
    Atomics.sub(this.words, this.state, R_WRITER);
    this.wake();
  }

  /** Take the read lock only if that needs no waiting. */
  tryReadLock(): boolean {
    if ((Atomics.add(this.words, this.state, 1) & ~R_COUNT) === 0) return true;
    this.backOff();
    return false;
  }

  /** Take the write lock only if nobody holds it. */
  tryWriteLock(): boolean {
    return Atomics.compareExchange(this.words, this.state, 0, R_WRITER) === 0;
  }

  /** Readers holding the lock now, or -1 while a writer holds it (for tests and diagnostics). */
  holders(): number {
    const s = Atomics.load(this.words, this.state);
    return (s & R_WRITER) !== 0 ? -1 : s & R_COUNT;
  }

  /** Undo an optimistic reader increment; wake a writer if that emptied the lock. */
  private backOff(): void {
    const prev = Atomics.sub(this.words, this.state, 1);
    if ((prev & R_COUNT) === 1 && (prev & R_WAITING_MASK) !== 0) this.wake();
  }

  private sleep(observed: number): void {
    const w = this.words;
    Atomics.add(w, this.sleepers, 1);
    Atomics.wait(w, this.state, observed, SLEEP_MS);
    Atomics.sub(w, this.sleepers, 1);
  }

  private wake(): void {
    if (Atomics.load(this.words, this.sleepers) !== 0) Atomics.notify(this.words, this.state);
  }
}
