/**
 * What the shared-store benchmark compares, side by side in one process: a raw Map (the floor),
 * the shared store before this change (bench/baselines/shared-before.ts reads it from git history), the shared store now
 * (reference/shared.ts) and, when fetched, the native @titanpl/core store.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Implementation } from '../../spec/contract.js';
import { REPO_ROOT } from '../stores.js';
import { BASELINE_MODULE, loadBaseline } from '../baselines/shared-before.js';
import * as after from '../../reference/shared.js';

/** The synchronous storage surface every subject offers. */
export interface SyncStorage {
  ls: {
    get(k: string): string | null;
    set(k: string, v: string): void;
    remove(k: string): void;
    clear(): void;
    keys(): string[];
  };
  session: {
    get(id: string, k: string): string | null;
    set(id: string, k: string, v: string): void;
    delete(id: string, k: string): void;
    clear(id: string): void;
  };
}

export type SubjectId = 'map' | 'before' | 'after' | 'titanpl-core';

export interface Subject {
  id: SubjectId;
  label: string;
  /** A fresh, empty store. */
  open(): SyncStorage;
  /** Committed shared memory of the store last opened, when the subject reports it. */
  committedBytes?(s: SyncStorage): number;
  /** For the isolate-scaling round: module path (from the repository root) and a handle for workers. */
  module?: string;
  createShared?(): unknown;
}

export function rawMap(): SyncStorage {
  const ls = new Map<string, string>();
  const sessions = new Map<string, Map<string, string>>();
  return {
    ls: { get: (k) => ls.get(k) ?? null, set: (k, v) => void ls.set(k, v), remove: (k) => void ls.delete(k), clear: () => ls.clear(), keys: () => [...ls.keys()] },
    session: {
      get: (id, k) => sessions.get(id)?.get(k) ?? null,
      set(id, k, v) {
        let s = sessions.get(id);
        if (s === undefined) sessions.set(id, (s = new Map()));
        s.set(k, v);
      },
      delete: (id, k) => void sessions.get(id)?.delete(k),
      clear: (id) => void sessions.delete(id),
    },
  };
}

const committed = (s: SyncStorage) => (s as unknown as { stats(): { committedBytes: number } }).stats().committedBytes;

export async function loadSubjects(): Promise<{ subjects: Subject[]; skipped: Record<string, string> }> {
  const subjects: Subject[] = [
    { id: 'map', label: 'raw Map (floor)', open: rawMap },
    {
      id: 'after',
      label: 'shared store now (reference/shared.ts)',
      open: () => after.openShared(after.createSharedHandle()) as unknown as SyncStorage,
      committedBytes: committed,
      module: 'reference/shared.ts',
      createShared: () => after.createSharedHandle(),
    },
  ];
  const skipped: Record<string, string> = {};
  try {
    const before = await loadBaseline();
    subjects.splice(1, 0, {
      id: 'before',
      label: 'shared store before (8e1d7d1, bench/baselines/shared-before.ts)',
      open: () => before.openShared(before.createSharedHandle()) as unknown as SyncStorage,
      committedBytes: committed,
      module: BASELINE_MODULE,
      createShared: () => before.createSharedHandle(),
    });
  } catch (e) {
    skipped.before = (e as Error).message;
  }
  try {
    const native = (await import(pathToFileURL(join(REPO_ROOT, 'adapters/titanpl-core/native.ts')).href)) as { loadTitanCore(): unknown };
    native.loadTitanCore();
    const impl = ((await import(pathToFileURL(join(REPO_ROOT, 'adapters/titanpl-core/index.ts')).href)) as { default: Implementation }).default;
    let n = 0;
    subjects.push({
      id: 'titanpl-core',
      label: '@titanpl/core 3.0.7 native (FFI)',
      open: () => impl.open({ dir: `/titan-shared-store-bench-${n++}` }) as unknown as SyncStorage,
      module: 'adapters/titanpl-core/index.ts',
    });
  } catch (e) {
    skipped['titanpl-core'] = `not loaded (${(e as Error).message.split('\n')[0]}); run npm run fetch:titanpl`;
  }
  return { subjects, skipped };
}
