/** Readable events, the trace around a cut, and what a lost change was, for failure reports. */
import { formatOp, type Op } from '../../spec/model.js';
import type { CutState, Pending } from './crash-states.js';
import type { TimedEvent } from './trace.js';

/** Names the runner knows for ack ids: "open", or the operation. */
export type AckNames = ReadonlyMap<number, string>;

export function ackNames(ops: readonly Op[], ids: readonly number[]): Map<number, string> {
  const m = new Map<number, string>([[1, 'open']]);
  ops.forEach((o, i) => m.set(ids[i]!, `operation ${i + 1} ${formatOp(o).slice(0, 70)}`));
  m.set(ops.length + 2, 'close');
  return m;
}

function sibling(path: string, name: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? `${path.slice(0, i)}/${name}` : name;
}

export function showEvent(e: TimedEvent, names: AckNames): string {
  switch (e.kind) {
    case 'create':
      return `${e.syscall}: create ${e.dir ? 'directory ' : ''}${e.path}`;
    case 'write':
      return `${e.syscall}(${e.path}, ${e.data.length} bytes at offset ${e.offset})`;
    case 'truncate':
      return `${e.syscall}: truncate ${e.path} to ${e.size} bytes`;
    case 'rename':
      return `${e.syscall}(${e.path} → ${sibling(e.path, e.toName)})`;
    case 'unlink':
      return `${e.syscall}(${e.path})`;
    case 'link':
      return `${e.syscall}(→ ${e.path})`;
    case 'fsync':
      return `${e.syscall}(${e.path})`;
    case 'sync':
      return `${e.syscall}()`;
    case 'ack':
      return `the driver acknowledged ${names.get(e.id) ?? `request ${e.id}`}`;
  }
}

/** The events before and after the cut, the cut marked, each with its trace line. */
export function excerpt(events: readonly TimedEvent[], cut: number, names: AckNames, before = 8, after = 3): string[] {
  const lines: string[] = [];
  const from = Math.max(0, cut - before);
  if (from > 0) lines.push(`  … ${from} earlier events`);
  for (let i = from; i < Math.min(events.length, cut + after); i++) {
    if (i === cut) lines.push('  ──── power cut here ────');
    const e = events[i]!;
    lines.push(`  #${String(e.seq).padEnd(4)} line ${String(e.line).padEnd(6)} ${showEvent(e, names)}`);
  }
  if (cut >= events.length) lines.push('  ──── power cut here (after the last event) ────');
  return lines;
}

/** What one lost (or torn) change was, and why it was not durable. */
export function describeLoss(p: Pending, s: CutState, events: readonly TimedEvent[], torn?: number): string {
  const e = p.event;
  const at = `#${e.seq} (trace line ${e.line})`;
  const later = events.slice(e.seq + 1, s.cut);
  if (p.target === 'data') {
    const inode = e.kind === 'write' || e.kind === 'truncate' ? e.inode : -1;
    const what = e.kind === 'write' ? `${torn !== undefined ? `torn write (only ${torn} of ${e.data.length} bytes reached the disk)` : `write of ${e.data.length} bytes`} at offset ${e.offset} to ${e.path}` : `truncate of ${e.path}`;
    const rename = later.find((x) => x.kind === 'rename' && x.inode === inode);
    const renamed = rename && rename.kind === 'rename' ? `; ${rename.path} was renamed to ${sibling(rename.path, rename.toName)} at #${rename.seq} before that data was fsynced` : '';
    return `${what} ${at} never reached the disk: no fsync/fdatasync of that file before the cut${renamed}`;
  }
  const dir = e.kind === 'rename' || e.kind === 'create' || e.kind === 'unlink' || e.kind === 'link' ? directoryOf(e.path) : '.';
  const inode = 'inode' in e ? e.inode : -1;
  const synced = later.some((x) => x.kind === 'fsync' && x.inode === inode);
  const fileSynced = synced ? ' (the file itself was fsynced, which does not persist its directory entry)' : '';
  switch (e.kind) {
    case 'create':
      return `the creation of ${e.path} ${at} was lost: no fsync of its directory (${dir}) afterwards${fileSynced}`;
    case 'rename':
      return `rename(${e.path} → ${sibling(e.path, e.toName)}) ${at} was lost: no fsync of its directory (${dir}) afterwards${fileSynced}`;
    case 'unlink':
      return `the unlink of ${e.path} ${at} was undone: no fsync of its directory (${dir}) afterwards`;
    default:
      return `the directory change ${at} to ${e.path} was lost: no fsync of ${dir} afterwards`;
  }
}

function directoryOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '.';
}
