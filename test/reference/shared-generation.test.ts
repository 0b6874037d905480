/**
 * reference/shared.ts gives memory back: after a clear or mass removal it moves to a fresh, smaller
 * buffer set, and every isolate — those that had the store open, and those that open it later with
 * the handle they were given at the start — keeps seeing one store. (Requirements: SHARE-VISIBLE,
 * LS-CLEAR, LS-REMOVE; the sizes are what the store promises about memory, not timing.)
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import shared, { createSharedHandle, openShared, type SharedStorage } from '../../reference/shared.js';
import { runInWorkers, STORE_DIR } from '../fixtures/shared/pool.js';

const MODULE = fileURLToPath(new URL('../../reference/shared.ts', import.meta.url));
const big = (i: number) => `${i}:${'v'.repeat(300)}`;

function fillAndCheck(s: SharedStorage, n: number): void {
  for (let i = 0; i < n; i++) s.ls.set(`k${i}`, big(i));
  for (let i = 0; i < n; i++) s.session.set(`s${i % 50}`, `k${i}`, big(i));
}

describe('reference/shared: memory comes back (SHARE-VISIBLE, LS-CLEAR, LS-REMOVE)', () => {
  it('moves to a small buffer set after ls.clear and session clears, and a second view adopts it', () => {
    const h = createSharedHandle();
    const a = openShared(h, 'd');
    const b = openShared(h, 'd');
    const empty = a.stats().committedBytes;
    fillAndCheck(a, 5000);
    expect(b.ls.get('k7')).toBe(big(7));
    const full = a.stats().committedBytes;
    a.ls.clear();
    for (let i = 0; i < 50; i++) a.session.clear(`s${i}`);
    const st = a.stats();
    expect(st.generation).toBeGreaterThan(0);
    expect(st.committedBytes).toBeLessThan(full / 8);
    expect(st.committedBytes).toBeLessThanOrEqual(2 * empty + 64 * 1024);
    // The other view reads and writes the new set, and so does the first.
    expect([b.ls.get('k7'), b.session.get('s7', 'k7'), b.ls.keys()]).toEqual([null, null, []]);
    b.ls.set('x', 'from b');
    expect([a.ls.get('x'), a.ls.keys(), a.stats().lsEntries]).toEqual(['from b', ['x'], 1]);
  });

  it('moves after entries are removed one by one, keeping those that remain', () => {
    const s = openShared(createSharedHandle());
    fillAndCheck(s, 4000);
    for (let i = 0; i < 4000; i++) if (i % 1000 !== 0) s.ls.remove(`k${i}`);
    for (let i = 0; i < 4000; i++) if (i % 1000 !== 0) s.session.delete(`s${i % 50}`, `k${i}`);
    expect(s.stats().generation).toBeGreaterThan(0);
    expect((s.ls.keys() as string[]).sort()).toEqual(['k0', 'k1000', 'k2000', 'k3000']);
    for (const i of [0, 1000, 2000, 3000]) expect([s.ls.get(`k${i}`), s.session.get(`s${i % 50}`, `k${i}`)]).toEqual([big(i), big(i)]);
  });

  it('workers that had the store open read through repeated moves; the creating thread opens it afterwards', { timeout: 120_000 }, async () => {
    const handle = shared.createShared!();
    const results = (await runInWorkers({ modulePath: MODULE, shared: handle, jobs: Array(3).fill({ scenario: 'shrinkRace', params: { keys: 2000, rounds: 3 } }), timeoutMs: 90_000 })) as { wrong: string[]; generation?: number }[];
    expect(results.flatMap((r) => r.wrong)).toEqual([]);
    expect(results[1]!.generation).toBeGreaterThanOrEqual(3);
    const main = (await shared.open({ dir: STORE_DIR, shared: handle })) as SharedStorage;
    expect([main.ls.get('after'), main.ls.keys()]).toEqual(['done', ['after']]);
  });

  it('a worker opening late, with the handle of the first buffer set, gets the current one', { timeout: 120_000 }, async () => {
    const handle = shared.createShared!();
    // A copy made before anything moves names the first set (opening repoints the handle it is given).
    const first = structuredClone(handle) as typeof handle & { data: { generation: number } };
    const main = (await shared.open({ dir: STORE_DIR, shared: handle })) as SharedStorage;
    fillAndCheck(main, 3000);
    main.ls.clear();
    for (let i = 0; i < 50; i++) main.session.clear(`s${i}`);
    main.ls.set('after', 'main');
    expect(main.stats().generation).toBeGreaterThan(0);
    expect(first.data.generation).toBe(0);
    const [late] = (await runInWorkers({ modulePath: MODULE, shared: first, jobs: [{ scenario: 'readAfter', params: {} }], timeoutMs: 90_000 })) as { after: string; keys: string[]; generation: number }[];
    expect(late).toEqual({ after: 'main', keys: ['after'], generation: main.stats().generation });
  });
});
