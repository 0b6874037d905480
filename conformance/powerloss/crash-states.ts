/**
 * The crash states a power cut may leave, under the weakest model POSIX allows: nothing reaches the
 * disk without an fsync/fdatasync of that file, and no directory entry (create, rename, unlink, link)
 * without an fsync of its directory. At a cut, every write or truncate of a file since its last sync
 * may be lost, or (a write) kept only as a prefix; every entry change of a directory since its last
 * sync may be undone; each independently of the others. A rename is one change (atomic).
 */
import { createHash } from 'node:crypto';
import { ROOT, type TimedEvent } from './trace.js';

/** What happens to one pending (unsynced) change in a crash state: kept, lost, or a write kept as a prefix. */
export type Fate = 'keep' | 'drop' | { readonly prefix: number };

/** A change not yet covered by a sync at the cut: the event, and the inode (file data) or directory (entry) it belongs to. */
export interface Pending {
  readonly event: TimedEvent;
  readonly target: 'data' | 'entry';
}

/** The durable state at a cut and what may or may not have reached the disk on top of it. */
export interface CutState {
  readonly cut: number;
  readonly durableData: ReadonlyMap<number, Buffer>;
  readonly durableEntries: ReadonlyMap<number, ReadonlyMap<string, number>>;
  readonly dirs: ReadonlySet<number>;
  /** Per inode (data) or directory (entries), its unsynced changes in order. */
  readonly pending: readonly Pending[];
}

/** A file tree, store-relative paths → content (null for a directory). */
export type Tree = ReadonlyMap<string, Buffer | null>;

function applyData(base: Buffer, e: TimedEvent, fate: Fate): Buffer {
  if (fate === 'drop') return base;
  if (e.kind === 'truncate') return e.size <= base.length ? base.subarray(0, e.size) : Buffer.concat([base, Buffer.alloc(e.size - base.length)]);
  if (e.kind !== 'write') return base;
  const data = fate === 'keep' ? e.data : e.data.subarray(0, fate.prefix);
  if (data.length === 0) return base;
  const end = e.offset + data.length;
  const out = Buffer.alloc(Math.max(base.length, end));
  base.copy(out);
  data.copy(out, e.offset);
  return out;
}

function applyEntry(entries: Map<number, Map<string, number>>, e: TimedEvent, fate: Fate): void {
  if (fate === 'drop') return;
  const at = (dir: number) => {
    let m = entries.get(dir);
    if (!m) entries.set(dir, (m = new Map()));
    return m;
  };
  switch (e.kind) {
    case 'create':
    case 'link':
      at(e.parent).set(e.name, e.inode);
      return;
    case 'unlink':
      if (at(e.parent).get(e.name) === e.inode) at(e.parent).delete(e.name);
      return;
    case 'rename':
      if (at(e.fromParent).get(e.fromName) === e.inode) at(e.fromParent).delete(e.fromName);
      at(e.toParent).set(e.toName, e.inode);
      return;
  }
}

/** Replay events[0, cut): what is durable, and what is pending. */
export function stateAt(events: readonly TimedEvent[], cut: number): CutState {
  const durableData = new Map<number, Buffer>();
  const durableEntries = new Map<number, Map<string, number>>([[ROOT, new Map()]]);
  const dirs = new Set<number>([ROOT]);
  let pending: Pending[] = [];
  const syncData = (inode: number) => {
    let d = durableData.get(inode) ?? Buffer.alloc(0);
    for (const p of pending) if (p.target === 'data' && dataInode(p.event) === inode) d = applyData(d, p.event, 'keep');
    durableData.set(inode, d);
    pending = pending.filter((p) => !(p.target === 'data' && dataInode(p.event) === inode));
  };
  const syncDir = (dir: number) => {
    for (const p of pending) if (p.target === 'entry' && entryDirs(p.event).includes(dir)) applyEntryHalf(durableEntries, p.event, dir);
    pending = pending.filter((p) => !(p.target === 'entry' && entryDirs(p.event).includes(dir) && settled(p.event, durableEntries)));
  };
  for (const e of events.slice(0, cut)) {
    switch (e.kind) {
      case 'create':
        if (e.dir) dirs.add(e.inode);
        pending.push({ event: e, target: 'entry' });
        break;
      case 'link':
      case 'unlink':
      case 'rename':
        pending.push({ event: e, target: 'entry' });
        break;
      case 'write':
      case 'truncate':
        pending.push({ event: e, target: 'data' });
        break;
      case 'fsync':
        if (dirs.has(e.inode)) syncDir(e.inode);
        else syncData(e.inode);
        break;
      case 'sync':
        for (const inode of new Set(pending.filter((p) => p.target === 'data').map((p) => dataInode(p.event)))) syncData(inode);
        for (const dir of dirs) syncDir(dir);
        break;
    }
  }
  return { cut, durableData, durableEntries, dirs, pending };
}

function dataInode(e: TimedEvent): number {
  return e.kind === 'write' || e.kind === 'truncate' ? e.inode : -1;
}

/** The directories an entry change touches (a rename across directories touches two). */
export function entryDirs(e: TimedEvent): number[] {
  if (e.kind === 'rename') return e.fromParent === e.toParent ? [e.fromParent] : [e.fromParent, e.toParent];
  return e.kind === 'create' || e.kind === 'link' || e.kind === 'unlink' ? [e.parent] : [];
}

/** Apply the half of an entry change that belongs to directory `dir` (both halves for a same-directory rename). */
function applyEntryHalf(entries: Map<number, Map<string, number>>, e: TimedEvent, dir: number): void {
  if (e.kind !== 'rename' || e.fromParent === e.toParent) return applyEntry(entries, e, 'keep');
  const m = entries.get(dir) ?? new Map<string, number>();
  entries.set(dir, m);
  if (dir === e.toParent) m.set(e.toName, e.inode);
  else if (m.get(e.fromName) === e.inode) m.delete(e.fromName);
}

/** A cross-directory rename stays pending until both directories were synced. */
function settled(e: TimedEvent, entries: Map<number, Map<string, number>>): boolean {
  if (e.kind !== 'rename' || e.fromParent === e.toParent) return true;
  return entries.get(e.toParent)?.get(e.toName) === e.inode && entries.get(e.fromParent)?.get(e.fromName) !== e.inode;
}

/** The files a crash state leaves: durable state plus the pending changes `fate` keeps. */
export function materializeTree(s: CutState, fate: (p: Pending) => Fate): Tree {
  const data = new Map(s.durableData);
  const entries = new Map([...s.durableEntries].map(([d, m]) => [d, new Map(m)]));
  for (const p of s.pending) {
    const f = fate(p);
    if (p.target === 'data') {
      const inode = dataInode(p.event);
      data.set(inode, applyData(data.get(inode) ?? Buffer.alloc(0), p.event, f));
    } else applyEntry(entries, p.event, f);
  }
  const tree = new Map<string, Buffer | null>();
  const walk = (dir: number, prefix: string, depth: number) => {
    if (depth > 32) return;
    for (const [name, inode] of [...(entries.get(dir) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (s.dirs.has(inode)) {
        tree.set(path, null);
        walk(inode, path, depth + 1);
      } else tree.set(path, data.get(inode) ?? Buffer.alloc(0));
    }
  };
  walk(ROOT, '', 0);
  return tree;
}

/** A stable digest of a tree, to try each distinct crash state once. */
export function treeDigest(tree: Tree): string {
  const h = createHash('sha256');
  for (const [path, content] of tree) {
    h.update(`${path}\0${content === null ? 'd' : content.length}\0`);
    if (content) h.update(content);
  }
  return h.digest('hex');
}
