// The crash-state model on hand-made event timelines: what survives a power cut, and what may not.
import { describe, expect, it } from 'vitest';
import { materializeTree, stateAt, treeDigest, type Fate, type Pending } from '../../conformance/powerloss/crash-states.js';
import { candidates, fatesFor } from '../../conformance/powerloss/sample.js';
import type { FsEvent, TimedEvent } from '../../conformance/powerloss/trace.js';

function timeline(...es: FsEvent[]): TimedEvent[] {
  return es.map((e, seq) => ({ ...e, seq, line: seq + 1, syscall: e.kind, path: '' }) as TimedEvent);
}
const text = (t: ReadonlyMap<string, Buffer | null>) => Object.fromEntries([...t].map(([p, c]) => [p, c === null ? null : c.toString()]));
const all = (f: Fate) => () => f;
const b = (s: string) => Buffer.from(s);

// The reference file store's write: temp file, write, fsync, rename, fsync the directory.
const durableReplace = (inode: number, data: string): FsEvent[] => [
  { kind: 'create', parent: 0, name: '.f.tmp', inode, dir: false },
  { kind: 'write', inode, offset: 0, data: b(data) },
  { kind: 'fsync', inode },
  { kind: 'rename', fromParent: 0, fromName: '.f.tmp', toParent: 0, toName: 'f', inode },
  { kind: 'fsync', inode: 0 },
];

describe('stateAt + materializeTree (weakest POSIX model)', () => {
  it('after fsync of the file and of its directory, nothing is pending: every crash state is the new file', () => {
    const ev = timeline(...durableReplace(1, 'one'), ...durableReplace(2, 'two'));
    const s = stateAt(ev, ev.length);
    expect(s.pending).toEqual([]);
    expect(text(materializeTree(s, all('drop')))).toEqual({ f: 'two' });
  });

  it('a rename not followed by a directory fsync may be undone: the previous file comes back', () => {
    const ev = timeline(...durableReplace(1, 'one'), ...durableReplace(2, 'two').slice(0, 4));
    const s = stateAt(ev, ev.length);
    expect(s.pending.map((p) => p.event.kind)).toEqual(['create', 'rename']);
    expect(text(materializeTree(s, all('drop')))).toEqual({ f: 'one' });
    expect(text(materializeTree(s, all('keep')))).toEqual({ f: 'two' });
  });

  it('fsync of a file does not persist its directory entry; unsynced data may be lost or torn', () => {
    const ev = timeline(
      { kind: 'create', parent: 0, name: 'log', inode: 1, dir: false },
      { kind: 'fsync', inode: 1 },
      { kind: 'write', inode: 1, offset: 0, data: b('abcd') },
      { kind: 'write', inode: 1, offset: 4, data: b('efgh') },
    );
    const s = stateAt(ev, ev.length);
    expect(text(materializeTree(s, all('drop')))).toEqual({});
    const keepEntry = (f: Fate) => (p: Pending) => (p.target === 'entry' ? 'keep' : f);
    expect(text(materializeTree(s, keepEntry('drop')))).toEqual({ log: '' });
    expect(text(materializeTree(s, keepEntry({ prefix: 2 })))).toEqual({ log: 'ab\0\0ef' });
    // Losing the first write but keeping the second leaves a hole of zeros, as a file system would.
    const secondOnly = materializeTree(s, (p) => (p.target === 'entry' || p.event.seq === 3 ? 'keep' : 'drop'));
    expect([...secondOnly.get('log')!]).toEqual([0, 0, 0, 0, ...b('efgh')]);
  });

  it('a truncate is durable only once the file is synced; a rename published before the data is the classic empty file', () => {
    const ev = timeline(
      { kind: 'create', parent: 0, name: 'f', inode: 1, dir: false },
      { kind: 'write', inode: 1, offset: 0, data: b('old') },
      { kind: 'fsync', inode: 1 },
      { kind: 'fsync', inode: 0 },
      { kind: 'create', parent: 0, name: 'f.tmp', inode: 2, dir: false },
      { kind: 'write', inode: 2, offset: 0, data: b('new') },
      { kind: 'rename', fromParent: 0, fromName: 'f.tmp', toParent: 0, toName: 'f', inode: 2 },
      { kind: 'truncate', inode: 1, size: 0 },
    );
    const s = stateAt(ev, ev.length);
    expect(text(materializeTree(s, (p) => (p.target === 'entry' ? 'keep' : 'drop')))).toEqual({ f: '' });
    expect(text(materializeTree(s, all('drop')))).toEqual({ f: 'old' });
  });

  it('directories: a file in a new subdirectory needs the subdirectory itself synced into its parent', () => {
    const ev = timeline(
      { kind: 'create', parent: 0, name: 'sub', inode: 1, dir: true },
      { kind: 'create', parent: 1, name: 'x', inode: 2, dir: false },
      { kind: 'write', inode: 2, offset: 0, data: b('x') },
      { kind: 'fsync', inode: 2 },
      { kind: 'fsync', inode: 1 },
    );
    const s = stateAt(ev, ev.length);
    expect(s.pending.map((p) => p.event.kind)).toEqual(['create']);
    expect(text(materializeTree(s, all('drop')))).toEqual({});
    expect(text(materializeTree(s, all('keep')))).toEqual({ sub: null, 'sub/x': 'x' });
  });

  it('sync() makes everything durable', () => {
    const ev = timeline({ kind: 'create', parent: 0, name: 'f', inode: 1, dir: false }, { kind: 'write', inode: 1, offset: 0, data: b('v') }, { kind: 'sync' });
    expect(text(materializeTree(stateAt(ev, 3), all('drop')))).toEqual({ f: 'v' });
  });

  it('the digest tells trees apart by names and bytes', () => {
    const ev = timeline(...durableReplace(1, 'one'), ...durableReplace(2, 'two').slice(0, 4));
    const s = stateAt(ev, ev.length);
    expect(treeDigest(materializeTree(s, all('drop')))).not.toBe(treeDigest(materializeTree(s, all('keep'))));
    expect(treeDigest(materializeTree(s, all('drop')))).toBe(treeDigest(materializeTree(stateAt(ev, 5), all('drop'))));
  });
});

describe('candidates (which states to try)', () => {
  const ev = timeline(
    ...durableReplace(1, 'one').slice(0, 4),
    { kind: 'ack', id: 2 },
    { kind: 'create', parent: 0, name: 'log', inode: 2, dir: false },
    { kind: 'write', inode: 2, offset: 0, data: b('0123456789') },
    { kind: 'ack', id: 3 },
  );

  it('starts with only-synced states right after each acknowledgement, then the systematic states, then random ones', () => {
    const cs = [...candidates(ev, 1, 20)];
    expect(cs.slice(0, 2).map((c) => [c.kind, c.state.cut])).toEqual([['synced-only', 5], ['synced-only', 8]]);
    const cutsWithPending = [...Array(ev.length + 1).keys()].filter((c) => stateAt(ev, c).pending.length > 0);
    expect(cs.filter((c) => c.kind !== 'random' && cs.indexOf(c) >= 2)).toHaveLength(cutsWithPending.length * 3);
    expect(cs.slice(-20).every((c) => c.kind === 'random')).toBe(true);
    expect(cs.every((c) => c.fates.length === c.state.pending.length)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const show = (seed: number) => JSON.stringify([...candidates(ev, seed, 30)].map((c) => [c.kind, c.state.cut, c.fates]));
    expect(show(7)).toBe(show(7));
    expect(show(7)).not.toBe(show(8));
  });

  it('systematic fates: data lost keeps directory changes, entries lost keeps data, SIGKILL keeps all', () => {
    const s = stateAt(ev, ev.length);
    const targets = s.pending.map((p) => p.target);
    expect(fatesFor('data-lost', s.pending)).toEqual(targets.map((t) => (t === 'data' ? 'drop' : 'keep')));
    expect(fatesFor('entries-lost', s.pending)).toEqual(targets.map((t) => (t === 'entry' ? 'drop' : 'keep')));
    expect(fatesFor('sigkill', s.pending).every((f) => f === 'keep')).toBe(true);
  });
});

describe('describeLoss and excerpt (what the report says)', () => {
  it('names a write renamed into place before it was fsynced, and a rename whose directory was never synced', async () => {
    const { describeLoss, excerpt } = await import('../../conformance/powerloss/explain.js');
    const ev = timeline(
      { kind: 'ack', id: 1 },
      { kind: 'create', parent: 0, name: '.f.tmp', inode: 1, dir: false },
      { kind: 'write', inode: 1, offset: 0, data: b('new') },
      { kind: 'rename', fromParent: 0, fromName: '.f.tmp', toParent: 0, toName: 'f', inode: 1 },
    ).map((e) => ({ ...e, path: e.kind === 'ack' ? '' : '.f.tmp' }) as TimedEvent);
    const s = stateAt(ev, ev.length);
    const [, write, rename] = s.pending;
    expect(describeLoss(write!, s, ev)).toBe('write of 3 bytes at offset 0 to .f.tmp #2 (trace line 3) never reached the disk: no fsync/fdatasync of that file before the cut; .f.tmp was renamed to f at #3 before that data was fsynced');
    expect(describeLoss(write!, s, ev, 1)).toMatch(/^torn write \(only 1 of 3 bytes reached the disk\)/);
    expect(describeLoss(rename!, s, ev)).toBe('rename(.f.tmp → f) #3 (trace line 4) was lost: no fsync of its directory (.) afterwards');
    const lines = excerpt(ev, 3, new Map([[1, 'open']]));
    expect(lines[0]).toMatch(/#0 +line 1 +the driver acknowledged open/);
    expect(lines[3]).toBe('  ──── power cut here ────');
    expect(lines[4]).toMatch(/rename\(\.f\.tmp → f\)/);
  });
});
