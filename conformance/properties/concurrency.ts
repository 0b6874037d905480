/**
 * SHARE-* and LIN-*: several isolates (worker_threads, each loading the implementation module) on one
 * store, as TitanPL runs requests. For every fresh store the main thread calls
 * `impl.createShared?.()` once and every isolate opens `{ dir, shared }` with the same dir.
 */
import type { Check } from '../check.js';
import { linearizable } from './concurrency/linearizable.js';
import { shareCluster } from './concurrency/share-cluster.js';
import { shareVisible } from './concurrency/share-visible.js';
import { shareDuringWrites } from './concurrency/share-during-writes.js';

export const checks: Check[] = [shareVisible, shareDuringWrites, linearizable, shareCluster];
