/**
 * The semantic tests every durable, shared store gets (sqlite, redis): the model on random
 * adversarial sequences, argument conversion and rejection, restart, two handles on one dir.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Storage } from '../../spec/contract.js';
import { emptyState } from '../../spec/model.js';
import { expectState, opArb, runAgainstModel, throwingToString } from './store-model.js';

export interface SuiteOptions {
  open(dir: string): Promise<Storage>;
  /** fast-check runs for the sequence properties (each opens fresh stores). */
  numRuns: number;
}

export function freshDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `titan-${tag}-`));
}

export function durableSharedStoreTests(tag: string, o: SuiteOptions): void {
  async function withStores<T>(dir: string, n: number, body: (s: Storage[]) => Promise<T>): Promise<T> {
    const stores: Storage[] = [];
    try {
      for (let i = 0; i < n; i++) stores.push(await o.open(dir));
      return await body(stores);
    } finally {
      for (const s of stores) await s.close?.();
    }
  }

  it('SEQ-MODEL: random sequences over adversarial strings (NUL, lone surrogates, astral, __proto__, ":", "") agree with spec/model.ts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        await withStores(freshDir(tag), 1, async ([s]) => {
          const end = await runAgainstModel([s!], ops, emptyState);
          await expectState(s!, end, ops);
        });
      }),
      { numRuns: o.numRuns },
    );
  });

  it('PERSIST-DURABLE: after close and open on the same dir the store holds exactly the model state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 10 }), async (before, after) => {
        const dir = freshDir(tag);
        const mid = await withStores(dir, 1, ([s]) => runAgainstModel([s!], before, emptyState));
        await withStores(dir, 1, async ([s]) => {
          await expectState(s!, mid, before);
          const end = await runAgainstModel([s!], after, mid);
          await expectState(s!, end, [...before, ...after]);
        });
      }),
      { numRuns: Math.max(5, Math.floor(o.numRuns / 3)) },
    );
  });

  it('sharing: two handles on the same dir see each other\'s writes (ops alternate randomly between them)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(opArb, fc.nat(1)), { maxLength: 30 }), async (steps) => {
        await withStores(freshDir(tag), 2, async (stores) => {
          const ops = steps.map(([op]) => op);
          const end = await runAgainstModel(stores, ops, emptyState, steps.map(([, h]) => h));
          await expectState(stores[0]!, end, ops);
          await expectState(stores[1]!, end, ops);
        });
      }),
      { numRuns: Math.max(5, Math.floor(o.numRuns / 3)) },
    );
  });

  it('OPEN-FRESH-EMPTY: a different dir is a different, empty store', async () => {
    await withStores(freshDir(tag), 1, async ([a]) => {
      await a!.ls.set('k', 'v');
      await a!.session.set('s', 'k', 'v');
      await withStores(freshDir(tag), 1, async ([b]) => {
        expect(await b!.ls.keys()).toEqual([]);
        expect(await b!.session.get('s', 'k')).toBeNull();
      });
    });
  });

  it('VAL-COERCE / VAL-REJECT / VAL-REJECT-ATOMIC: ToString conversion; Symbols and throwing toString are TypeErrors that change nothing', async () => {
    await withStores(freshDir(tag), 1, async ([s]) => {
      await s!.ls.set(1, null);
      expect(await s!.ls.get('1')).toBe('null');
      await s!.session.set(undefined, { a: 1 }, 2.5);
      expect(await s!.session.get('undefined', '[object Object]')).toBe('2.5');
      await s!.ls.set('k', 'old');
      await s!.session.set('id', 'k', 'old');
      const bad: unknown[] = [Symbol('x'), throwingToString];
      for (const b of bad) {
        await expect(async () => s!.ls.set('k', b)).rejects.toThrow(TypeError);
        await expect(async () => s!.ls.set(b, 'v')).rejects.toThrow(TypeError);
        await expect(async () => s!.ls.remove(b)).rejects.toThrow(TypeError);
        await expect(async () => s!.session.set('id', 'k', b)).rejects.toThrow(TypeError);
        await expect(async () => s!.session.clear(b)).rejects.toThrow(TypeError);
        await expect(async () => s!.session.delete('id', b)).rejects.toThrow(TypeError);
      }
      expect(await s!.ls.get('k')).toBe('old');
      expect(await s!.session.get('id', 'k')).toBe('old');
      expect((await s!.ls.keys()).sort()).toEqual(['1', 'k']);
    });
  });

  it('STR-LARGE-VALUE / STR-ROUNDTRIP: a 16 MiB value with a lone surrogate and NUL round-trips, also after restart', async () => {
    const dir = freshDir(tag);
    const big = `\uD800${'x'.repeat(16 * 1024 * 1024)}\u0000😀\uDC00`;
    await withStores(dir, 1, async ([s]) => {
      await s!.ls.set('big', big);
      expect((await s!.ls.get('big')) === big).toBe(true);
    });
    await withStores(dir, 1, async ([s]) => expect((await s!.ls.get('big')) === big).toBe(true));
  });
}
