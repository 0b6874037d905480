/**
 * A store opened on a private dir and filled with a dataset, ready to be measured. Measured
 * operations that change the contents (remove, delete, clear) restore them afterwards, outside
 * the timed region, so every sample sees a store of the stated size.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../spec/contract.js';
import { sessionEntry, valueFor, type Dataset } from './dataset.js';
import type { LoadedStore } from './stores.js';

export const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === 'function';

/** Run a batch of calls; async stores get bounded concurrency (used only for filling, never while timing). */
async function runAll(isAsync: boolean, count: number, call: (i: number) => unknown): Promise<void> {
  if (!isAsync) {
    for (let i = 0; i < count; i++) call(i);
    return;
  }
  const CHUNK = 256;
  for (let i = 0; i < count; i += CHUNK) {
    const pending: unknown[] = [];
    for (let j = i; j < Math.min(count, i + CHUNK); j++) pending.push(call(j));
    await Promise.all(pending);
  }
}

export class Fixture {
  private constructor(
    readonly store: LoadedStore,
    readonly data: Dataset,
    readonly dir: string,
    /** The `shared` value this fixture's store was opened with (pass it to other isolates). */
    readonly shared: unknown,
    public storage: Storage,
    readonly isAsync: boolean,
  ) {}

  static async open(store: LoadedStore, data: Dataset, dir: string): Promise<Fixture> {
    mkdirSync(dir, { recursive: true });
    if (store.seed) store.seed(dir, data);
    const shared = store.makeShared?.();
    const storage = await store.impl.open({ dir, shared });
    const probe = storage.ls.get('__probe__');
    const isAsync = isThenable(probe);
    if (isAsync) await probe;
    const fx = new Fixture(store, data, dir, shared, storage, isAsync);
    if (!store.seed) await fx.fillThroughApi();
    if (store.holdsData !== false) await fx.verify();
    return fx;
  }

  private async fillThroughApi(): Promise<void> {
    await this.fillLsThroughApi();
    const { session } = this.storage;
    await runAll(this.isAsync, this.data.sessionEntries, (i) => {
      const [id, key] = sessionEntry(this.data, i);
      return session.set(id, key, valueFor(this.data, i));
    });
  }

  private async fillLsThroughApi(): Promise<void> {
    const { ls } = this.storage;
    await runAll(this.isAsync, this.data.keys, (i) => ls.set(this.data.lsKeys[i], valueFor(this.data, i)));
  }

  /** The store must hold the dataset (catches a seeder that no longer matches the store's format). */
  private async verify(): Promise<void> {
    const n = this.data.keys;
    const keys = await this.storage.ls.keys();
    const last = n - 1;
    const lsValue = await this.storage.ls.get(this.data.lsKeys[last]);
    const [id, key] = sessionEntry(this.data, last);
    const want = valueFor(this.data, last);
    const sesValue = this.data.sessionEntries > 0 ? await this.storage.session.get(id, key) : want;
    if (keys.length !== n || lsValue !== want || sesValue !== want) {
      throw new Error(`store in ${this.dir} does not hold the dataset (keys ${keys.length}/${n}, ls value ${lsValue === want ? 'ok' : 'wrong'}, session value ${sesValue === want ? 'ok' : 'wrong'})`);
    }
  }

  /** Bring back local-storage entries [from, from + count) (mod n) after they were removed. */
  async restoreLs(from: number, count: number): Promise<void> {
    const n = this.data.keys;
    const ls = this.storage.ls;
    for (let j = 0; j < count; j++) {
      const i = (from + j) % n;
      const r = ls.set(this.data.lsKeys[i], valueFor(this.data, i));
      if (this.isAsync) await r;
    }
  }

  /** Bring back session entries [from, from + count) (mod n). */
  async restoreSessionEntries(from: number, count: number): Promise<void> {
    const n = this.data.keys;
    for (let j = 0; j < count; j++) {
      const i = (from + j) % n;
      const [id, key] = sessionEntry(this.data, i);
      const r = this.storage.session.set(id, key, valueFor(this.data, i));
      if (this.isAsync) await r;
    }
  }

  /** Bring back local storage after ls.clear: a restart on a re-seeded dir, or filling it through the API. */
  async refillLs(): Promise<void> {
    if (this.store.seed) {
      await this.storage.close?.();
      this.store.seed(this.dir, this.data);
      this.storage = await this.store.impl.open({ dir: this.dir, shared: this.shared });
    } else {
      await this.fillLsThroughApi();
    }
  }

  async close(): Promise<void> {
    await this.storage.close?.();
  }
}

let counter = 0;
export function fixtureDir(root: string, storeId: string, label: string): string {
  return join(root, `${storeId.replace(/\W+/g, '_')}-${label}-${counter++}`);
}
