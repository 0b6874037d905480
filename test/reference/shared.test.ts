/**
 * reference/shared.ts: the sequential model on adversarial strings, argument conversion, capacity,
 * bounded memory under churn, and, across worker threads (separate V8 isolates), visibility,
 * concurrent writers, and the readers–writer lock.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import shared, { createSharedHandle, openShared, RwLock, sharedImplementation, type SharedStorage } from '../../reference/shared.js';
import { opArgs, emptyState, formatOp, outputsEqual, sortKeys, step, type Op, type State } from '../../spec/model.js';
import { callOp } from '../../conformance/harness.js';
import { runInWorkers, STORE_DIR } from '../fixtures/shared/pool.js';
import { parseStamped, stamped } from '../fixtures/shared/scenarios.js';

const MODULE = fileURLToPath(new URL('../../reference/shared.ts', import.meta.url));

const adversarial = fc.oneof(
  fc.constantFrom('', '\0', 'a\0b', '\ud800', '\udc00', '\udc00\ud800', '😀', '__proto__', 'constructor', 'toString', ':', 'a:b', 'a', 'A', 'é', 'e\u0301', ' a', 'x'.repeat(40)),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 70 }),
);
const small = fc.constantFrom('', 'a', 'b', ':', 'a:', ':b', '\0', '__proto__');
const key = fc.oneof(small, adversarial);
const value = fc.oneof(fc.constantFrom('', 'v', 'x'.repeat(3000)), adversarial);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  key.map((k) => ({ op: 'ls.get', key: k }) as const),
  fc.record({ key, value }).map((r) => ({ op: 'ls.set', ...r }) as const),
  fc.record({ key, value }).map((r) => ({ op: 'ls.set', ...r }) as const),
  key.map((k) => ({ op: 'ls.remove', key: k }) as const),
  fc.constant({ op: 'ls.clear' } as const),
  fc.constant({ op: 'ls.keys' } as const),
  fc.record({ id: key, key }).map((r) => ({ op: 'session.get', ...r }) as const),
  fc.record({ id: key, key, value }).map((r) => ({ op: 'session.set', ...r }) as const),
  fc.record({ id: key, key, value }).map((r) => ({ op: 'session.set', ...r }) as const),
  fc.record({ id: key, key }).map((r) => ({ op: 'session.delete', ...r }) as const),
  key.map((id) => ({ op: 'session.clear', id }) as const),
);

/** Apply a model operation to a store, unchecked. */
function apply(s: SharedStorage, o: Op): unknown {
  return callOp(s, o.op, opArgs(o));
}

/** Run ops on one or more views of one store (views alternate, like isolates taking turns) against the model. */
function agreesWithModel(ops: Op[], views: SharedStorage[]): void {
  let state: State = emptyState;
  ops.forEach((o, i) => {
    const expected = step(state, o);
    state = expected.state;
    const actual = apply(views[i % views.length]!, o);
    if (!outputsEqual(expected.output, actual)) throw new Error(`op ${i} ${formatOp(o)}: expected ${JSON.stringify(expected.output)}, got ${JSON.stringify(actual)}`);
  });
  // Final state: every model entry is there and nothing else.
  const v = views[0]!;
  expect(sortKeys(v.ls.keys() as string[])).toEqual(sortKeys([...state.ls.keys()]));
  for (const [k, val] of state.ls) expect(v.ls.get(k)).toBe(val);
  for (const [id, entries] of state.sessions) for (const [k, val] of entries) expect(v.session.get(id, k)).toBe(val);
  const sessionEntries = [...state.sessions.values()].reduce((n, e) => n + e.size, 0);
  expect(v.stats()).toMatchObject({ lsEntries: state.ls.size, sessionEntries, entries: state.ls.size + sessionEntries });
}

describe('reference/shared: sequential semantics', () => {
  it('declares volatile, process-wide sharing and opens without a shared handle', async () => {
    expect(shared.capabilities).toEqual({ persistence: 'volatile', sharing: 'process' });
    const a = (await shared.open({ dir: '/unused' })) as SharedStorage;
    a.ls.set('k', 'v');
    const b = (await shared.open({ dir: '/unused' })) as SharedStorage;
    expect(b.ls.get('k')).toBeNull(); // no handle: a fresh private store each time
    const h = shared.createShared!();
    expect(structuredClone(h)).toBeTruthy();
    const c = (await shared.open({ dir: '/unused', shared: h })) as SharedStorage;
    c.ls.set('k', 'v');
    expect(((await shared.open({ dir: '/unused', shared: h })) as SharedStorage).ls.get('k')).toBe('v');
    expect(() => shared.open({ dir: '/unused', shared: { not: 'a handle' } })).toThrow(TypeError);
  });

  it('keeps one store per dir; closing the last opener of a dir ends its store (a volatile restart)', () => {
    const h = createSharedHandle();
    const a1 = openShared(h, 'A');
    const a2 = openShared(h, 'A');
    const b = openShared(h, 'B');
    a1.ls.set('k', 'a');
    a1.session.set('s', 'k', 'a');
    b.ls.set('k', 'b');
    expect([a2.ls.get('k'), a2.session.get('s', 'k'), b.ls.get('k'), b.session.get('s', 'k')]).toEqual(['a', 'a', 'b', null]);
    expect(b.ls.keys()).toEqual(['k']);
    a1.close();
    expect(() => a1.ls.get('k')).toThrow(/closed/);
    expect(a2.ls.get('k')).toBe('a'); // another isolate still has it open
    a2.close();
    const again = openShared(h, 'A');
    expect([again.ls.keys(), again.session.get('s', 'k')]).toEqual([[], null]);
    expect(b.ls.get('k')).toBe('b');
    expect(again.stats()).toMatchObject({ entries: 1, lsEntries: 0, sessionEntries: 0 });
    again.ls.set('k', 'again');
    expect(b.ls.get('k')).toBe('b');
  });

  it('follows the model on random sequences of adversarial strings', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => agreesWithModel(ops, [openShared(createSharedHandle())])),
      { numRuns: 300 },
    );
  });

  it('follows the model through table growth, heap growth and compaction, seen through two views', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 150 }), (ops) => {
        const h = createSharedHandle({ initialSlots: 8, initialHeapBytes: 64 });
        agreesWithModel(ops, [openShared(h), openShared(h)]);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps local storage and each session apart whatever the separators', () => {
    const s = openShared(createSharedHandle());
    s.ls.set('a:b', 'ls');
    s.session.set('a', 'b', 'ab');
    s.session.set('a:', 'b', 'a:+b');
    s.session.set('a', ':b', 'a+:b');
    s.session.set('', 'a:b', 'empty id');
    expect([s.ls.get('a:b'), s.session.get('a', 'b'), s.session.get('a:', 'b'), s.session.get('a', ':b'), s.session.get('', 'a:b')]).toEqual(['ls', 'ab', 'a:+b', 'a+:b', 'empty id']);
    s.session.clear('a');
    expect([s.ls.get('a:b'), s.session.get('a', 'b'), s.session.get('a:', 'b'), s.session.get('a', ':b'), s.session.get('', 'a:b')]).toEqual(['ls', null, 'a:+b', null, 'empty id']);
    s.ls.clear();
    expect(s.ls.get('a:b')).toBeNull();
    expect(s.session.get('a:', 'b')).toBe('a:+b');
  });

  it('returns a fresh keys() array each call', () => {
    const s = openShared(createSharedHandle());
    s.ls.set('a', '1');
    const k1 = s.ls.keys() as string[];
    k1.push('junk');
    expect(s.ls.keys()).toEqual(['a']);
    expect(s.ls.keys()).not.toBe(s.ls.keys());
  });

  it('stores a 16 MiB value with lone surrogates exactly', () => {
    const s = openShared(createSharedHandle());
    const big = '\ud800x\0'.repeat((16 * 1024 * 1024) / 3 + 1);
    s.ls.set('big', big);
    expect(s.ls.get('big') === big).toBe(true);
  });

  it('converts with String() and rejects Symbols and throwing toString before touching the store', () => {
    const s = openShared(createSharedHandle());
    s.ls.set(1, true);
    s.session.set(null, undefined, { toString: () => 'obj' });
    expect(s.ls.get('1')).toBe('true');
    expect(s.session.get('null', 'undefined')).toBe('obj');
    const bad = { toString() { throw new Error('boom'); } };
    const before = JSON.stringify([s.ls.keys(), s.stats()]);
    expect(() => s.ls.set('1', Symbol('v'))).toThrow(TypeError);
    expect(() => s.ls.set(bad, 'x')).toThrow(TypeError);
    expect(() => s.session.set('null', 'undefined', bad)).toThrow(TypeError);
    expect(() => s.session.clear(Symbol('id'))).toThrow(TypeError);
    expect(() => s.ls.remove(bad)).toThrow(TypeError);
    expect(JSON.stringify([s.ls.keys(), s.stats()])).toBe(before);
    expect(s.ls.get('1')).toBe('true');
    expect(s.session.get('null', 'undefined')).toBe('obj');
  });
});

describe('reference/shared: memory', () => {
  it('stays bounded under set/remove churn, and clear rewinds the heap', () => {
    const s = openShared(createSharedHandle({ initialHeapBytes: 1024, initialSlots: 8 }));
    const committed: number[] = [];
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 500; i++) s.ls.set(`k${(round * 500 + i) % 700}`, `${round}:${'v'.repeat(i % 50)}`);
      for (let i = 0; i < 300; i++) s.ls.remove(`k${(round * 37 + i) % 700}`);
      s.session.set(`s${round % 5}`, 'x', 'y'.repeat(round));
      s.session.clear(`s${(round + 2) % 5}`);
      committed.push(s.stats().committedBytes);
    }
    const st = s.stats();
    expect(st.compactions).toBeGreaterThan(0);
    // Live data is at most 700 keys x ~60 units; the committed size must not keep growing with rounds.
    expect(committed[39]).toBe(committed[10]);
    expect(st.heapUsedBytes).toBeLessThanOrEqual(st.heapBytes);
    expect(st.heapBytes).toBeLessThanOrEqual(4 * 700 * 2 * 72 + 65536);
    s.ls.clear();
    for (let i = 0; i < 5; i++) s.session.clear(`s${i}`);
    expect(s.stats()).toMatchObject({ entries: 0, heapUsedBytes: 0, liveBytes: 0 });
  });

  it('keys this isolate removed read as absent, in this isolate and another, through the sweep of its cache', () => {
    const handle = createSharedHandle();
    const s = openShared(handle, 'swept');
    const other = openShared(handle, 'swept');
    for (let i = 0; i < 3000; i++) s.session.set(`s${i % 3}`, `k${i}`, `v${i}`);
    for (let i = 0; i < 3000; i++) s.ls.set(`k${i}`, `v${i}`);
    // More removals than the sweep threshold: the cache keeps removed keys without values, then drops them.
    for (let i = 0; i < 2500; i++) s.ls.remove(`k${i}`);
    for (let i = 0; i < 1500; i++) s.session.delete(`s${i % 3}`, `k${i}`);
    for (const store of [s, other]) {
      expect(store.ls.get('k0')).toBeNull();
      expect(store.ls.get('k2499')).toBeNull();
      expect(store.ls.get('k2500')).toBe('v2500');
      expect(store.session.get('s0', 'k0')).toBeNull();
      expect(store.session.get('s0', 'k1500')).toBe('v1500');
      expect(store.ls.keys()).toHaveLength(500);
    }
    // Rewritten by this isolate and by the other: each reads what was written last.
    s.ls.set('k7', 'again');
    expect(other.ls.get('k7')).toBe('again');
    other.ls.set('k8', 'other');
    expect(s.ls.get('k8')).toBe('other');
    s.ls.remove('k8');
    expect(other.ls.get('k8')).toBeNull();
    expect(s.stats()).toMatchObject({ lsEntries: 501, sessionEntries: 1500 });
  });

  it('refuses a write past capacityBytes with a RangeError and keeps everything stored', async () => {
    const impl = sharedImplementation({ capacityBytes: 64 * 1024, initialHeapBytes: 1024 });
    const s = (await impl.open({ dir: '/unused', shared: impl.createShared!() })) as SharedStorage;
    const stored = new Map<string, string>();
    let refused: unknown;
    for (let i = 0; i < 10_000 && refused === undefined; i++) {
      const v = `value ${i} ${'z'.repeat(i % 300)}`;
      try {
        s.ls.set(`key ${i}`, v);
        stored.set(`key ${i}`, v);
      } catch (e) {
        refused = e;
      }
    }
    expect(refused).toBeInstanceOf(RangeError);
    expect(String((refused as Error).message)).toMatch(/capacity/);
    const first = stored.keys().next().value!;
    expect(() => s.ls.set(first, 'y'.repeat(100_000))).toThrow(/capacity/);
    expect(() => s.session.set('sid', 'k', 'y'.repeat(100_000))).toThrow(RangeError);
    expect(s.stats().committedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(s.ls.keys()).toHaveLength(stored.size);
    for (const [k, v] of stored) expect(s.ls.get(k)).toBe(v);
    // Removing data makes room again (garbage is compacted before refusing).
    for (const k of [...stored.keys()].slice(0, stored.size / 2)) s.ls.remove(k);
    expect(() => s.ls.set('after', 'w'.repeat(5000))).not.toThrow();
    expect(s.ls.get('after')).toBe('w'.repeat(5000));
  });
});

describe('reference/shared: the readers–writer lock in one isolate', () => {
  it('admits many readers, excludes a writer while they hold it, and readers while a writer does', () => {
    const words = new Int32Array(new SharedArrayBuffer(64));
    const a = new RwLock(words);
    const b = new RwLock(words);
    a.readLock();
    expect(b.tryReadLock()).toBe(true);
    expect(a.holders()).toBe(2);
    expect(b.tryWriteLock()).toBe(false);
    a.readUnlock();
    expect(b.tryWriteLock()).toBe(false);
    b.readUnlock();
    expect(b.tryWriteLock()).toBe(true);
    expect(a.holders()).toBe(-1);
    expect(a.tryReadLock()).toBe(false);
    expect(a.tryWriteLock()).toBe(false);
    b.writeUnlock();
    expect(a.holders()).toBe(0);
    expect(a.tryReadLock()).toBe(true);
    a.readUnlock();
  });

  it('validates an optimistic read only when no writer was inside at any moment since its stamp', () => {
    const words = new Int32Array(new SharedArrayBuffer(64));
    const reader = new RwLock(words);
    const writer = new RwLock(words);
    const stamp = reader.optimisticStamp();
    expect(stamp).toBeGreaterThanOrEqual(0);
    expect(reader.validate(stamp)).toBe(true);
    // Readers holding the lock do not invalidate it.
    writer.readLock();
    expect(reader.validate(stamp)).toBe(true);
    writer.readUnlock();
    // A writer inside: no stamp, and an earlier stamp fails.
    writer.writeLock();
    expect(reader.optimisticStamp()).toBe(-1);
    expect(reader.validate(stamp)).toBe(false);
    writer.writeUnlock();
    // A writer that came and went since the stamp: it fails; a fresh stamp holds.
    expect(reader.validate(stamp)).toBe(false);
    const again = reader.optimisticStamp();
    expect(reader.validate(again)).toBe(true);
    expect(writer.tryWriteLock()).toBe(true);
    writer.writeUnlock();
    expect(reader.validate(again)).toBe(false);
    expect(reader.validate(-1)).toBe(false);
  });
});

describe('reference/shared: across worker threads', () => {
  it('a write returned in one worker is visible in every other', async () => {
    const [, ...readers] = (await runInWorkers({ modulePath: MODULE, shared: shared.createShared!(), jobs: Array(4).fill({ scenario: 'visibility', params: { rounds: 200 } }) })) as { stale: string[] }[];
    expect(readers.flatMap((r) => r.stale)).toEqual([]);
  });

  it('concurrent writers on disjoint and overlapping keys leave a state some sequential order explains', async () => {
    const W = 3;
    const p = { iterations: 600, shared: 7, len: 40, removeEvery: 10 };
    // Tiny initial sizes: the table and heap grow while other isolates are using them.
    const handle = createSharedHandle({ initialSlots: 8, initialHeapBytes: 256 });
    const results = (await runInWorkers({ modulePath: MODULE, shared: handle, jobs: Array(W).fill({ scenario: 'writers', params: p }) })) as { malformed: string[] }[];
    expect(results.flatMap((r) => r.malformed)).toEqual([]);
    const s = openShared(handle, STORE_DIR);
    const expectedKeys: string[] = [];
    for (let w = 0; w < W; w++) {
      for (let i = 0; i < p.iterations; i++) {
        const removed = (i + 1) % p.removeEvery === p.removeEvery - 1;
        expect(s.ls.get(`own:${w}:${i}`)).toBe(removed ? null : stamped(w, i, p.len));
        if (!removed) expectedKeys.push(`own:${w}:${i}`);
        expect(s.session.get(`user-${w}`, `n${i}`)).toBe(stamped(w, i, p.len));
      }
    }
    // Each overlapping key holds the last value some writer wrote to it (program order per worker).
    const lastWrite = (k: number) => p.iterations - 1 - ((p.iterations - 1 - k) % p.shared);
    for (let k = 0; k < p.shared; k++) {
      expectedKeys.push(`shared:${k}`);
      for (const v of [s.ls.get(`shared:${k}`), s.session.get('common', `k${k}`)]) {
        const who = parseStamped(v as string, p.len);
        expect(who, `value of overlapping key ${k}: ${String(v).slice(0, 40)}`).not.toBeNull();
        expect(who!.i).toBe(lastWrite(k));
      }
    }
    expect(sortKeys(s.ls.keys() as string[])).toEqual(sortKeys(expectedKeys));
    expect(s.stats().sessionEntries).toBe(W * p.iterations + p.shared);
  });

  it('two workers hold the read lock at once; a writer is kept out meanwhile', async () => {
    const h = createSharedHandle();
    // If read locks excluded each other, the prober's blocking readLock() would never return: the run times out.
    const [, seen] = await runInWorkers({ modulePath: MODULE, shared: h, timeoutMs: 20_000, jobs: [{ scenario: 'holdLock', params: { mode: 'read' } }, { scenario: 'probeLock', params: { blockingRead: true } }] });
    expect(seen).toEqual({ holdersWhileReading: 2, tryRead: true, tryWrite: false });
    expect(openShared(h, STORE_DIR).map.lock.holders()).toBe(0);
  });

  it('a worker holding the write lock keeps other workers from reading and writing', async () => {
    const h = createSharedHandle();
    const [, seen] = await runInWorkers({ modulePath: MODULE, shared: h, jobs: [{ scenario: 'holdLock', params: { mode: 'write' } }, { scenario: 'probeLock', params: { blockingRead: false } }] });
    expect(seen).toEqual({ holdersWhileReading: null, tryRead: false, tryWrite: false });
    expect(openShared(h, STORE_DIR).map.lock.holders()).toBe(0);
  });
});
