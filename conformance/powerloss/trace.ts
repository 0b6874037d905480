/**
 * From system calls to file-system events under one store directory: which inode each file
 * descriptor names, at which offset each write lands (O_APPEND, lseek, read advancing the offset),
 * creates, renames, unlinks, truncates and syncs, and the driver's acknowledgements (response
 * lines on its protocol stdout) in the same timeline. Everything outside the directory is ignored.
 */
import { posix } from 'node:path';
import { arg, type Syscall, type Val } from './parse.js';

/** Inode 0 is the store directory itself (it exists and is durable before the trace starts). */
export const ROOT = 0;

export type FsEvent =
  | { readonly kind: 'create'; readonly parent: number; readonly name: string; readonly inode: number; readonly dir: boolean }
  | { readonly kind: 'write'; readonly inode: number; readonly offset: number; readonly data: Buffer }
  | { readonly kind: 'truncate'; readonly inode: number; readonly size: number }
  | { readonly kind: 'rename'; readonly fromParent: number; readonly fromName: string; readonly toParent: number; readonly toName: string; readonly inode: number }
  | { readonly kind: 'unlink'; readonly parent: number; readonly name: string; readonly inode: number }
  | { readonly kind: 'link'; readonly parent: number; readonly name: string; readonly inode: number }
  | { readonly kind: 'fsync'; readonly inode: number }
  | { readonly kind: 'sync' }
  | { readonly kind: 'ack'; readonly id: number };

/** An event with where it came from: its index, the trace line, its time (s since the epoch, strace -ttt), and each inode's path at the time. */
export type TimedEvent = FsEvent & { readonly seq: number; readonly line: number; readonly time: number; readonly syscall: string; readonly path: string };

export interface StoreTrace {
  readonly events: readonly TimedEvent[];
  /** What the recorder saw but cannot replay (an mmap'd file, copy_file_range into the store, …). */
  readonly unsupported: readonly string[];
  /** Shared writable mappings of store files: writes through them are invisible to a syscall trace. */
  readonly mapped: readonly string[];
  /** Network peers the driver connected to (a store whose data lives in a server). */
  readonly peers: readonly string[];
}

interface Desc {
  readonly path: string;
  readonly inode: number | null;
  offset: number;
  append: boolean;
  sync: boolean;
}

/** Interpret a parsed trace for the store at absolute path `storeDir`. */
export function interpret(calls: readonly Syscall[], storeDir: string): StoreTrace {
  return new Interpreter(posix.normalize(storeDir)).run(calls);
}

class Interpreter {
  private readonly events: TimedEvent[] = [];
  private readonly unsupported = new Set<string>();
  private readonly mapped = new Set<string>();
  private readonly peers = new Set<string>();
  /** File descriptor tables, shared by threads (CLONE_FILES), copied on fork. */
  private readonly tables = new Map<number, Map<number, Desc>>();
  /** The volatile namespace: each directory inode's entries. */
  private readonly dirs = new Map<number, Map<string, number>>([[ROOT, new Map()]]);
  private readonly sizes = new Map<number, number>();
  private nextInode = 1;
  private protocolPath: string | null = null;
  private protocolBuffer = '';
  private call!: Syscall;

  constructor(private readonly root: string) {}

  run(calls: readonly Syscall[]): StoreTrace {
    for (const c of calls) {
      this.call = c;
      // A non-blocking connect answers EINPROGRESS: the peer is still worth naming.
      if ((c.ret === -1 && !(c.name === 'connect' && c.errno === 'EINPROGRESS')) || Number.isNaN(c.ret)) continue;
      this.dispatch(c);
    }
    return { events: this.events, unsupported: [...this.unsupported], mapped: [...this.mapped], peers: [...this.peers] };
  }

  private table(tid: number): Map<number, Desc> {
    let t = this.tables.get(tid);
    if (!t) this.tables.set(tid, (t = new Map()));
    return t;
  }

  private emit(e: FsEvent, inode?: number): void {
    const path = inode === undefined ? '' : this.pathOf(inode);
    this.events.push({ ...e, seq: this.events.length, line: this.call.line, time: this.call.time, syscall: this.call.name, path } as TimedEvent);
  }

  /** Store-relative path of an inode in the volatile namespace ("" for the root, "?" once unlinked). */
  pathOf(inode: number): string {
    if (inode === ROOT) return '.';
    for (const [dir, entries] of this.dirs) {
      for (const [name, i] of entries) if (i === inode) return dir === ROOT ? name : `${this.pathOf(dir)}/${name}`;
    }
    return '(unlinked)';
  }

  /** Absolute path → store-relative components, or null outside the store. */
  private relative(abs: string | undefined): string[] | null {
    if (abs === undefined) return null;
    const p = posix.normalize(abs);
    if (p === this.root) return [];
    if (!p.startsWith(`${this.root}/`)) return null;
    return p.slice(this.root.length + 1).split('/').filter(Boolean);
  }

  /** Absolute path of a path argument: relative ones against the `-y` path of the dirfd (AT_FDCWD shows the cwd). */
  private absolute(dirfd: Val | undefined, p: Val | undefined): string | undefined {
    const path = arg.text(p);
    if (path.startsWith('/')) return path;
    const base = arg.path(dirfd);
    return base === undefined ? undefined : posix.join(base, path);
  }

  private lookup(parts: string[]): number | undefined {
    let cur = ROOT;
    for (const part of parts) {
      const next = this.dirs.get(cur)?.get(part);
      if (next === undefined) return undefined;
      cur = next;
    }
    return cur;
  }

  /** The parent inode and name of a store path whose parent exists. */
  private parentOf(parts: string[]): { parent: number; name: string } | null {
    if (parts.length === 0) return null;
    const parent = this.lookup(parts.slice(0, -1));
    return parent === undefined ? null : { parent, name: parts[parts.length - 1]! };
  }

  private desc(v: Val | undefined): Desc | undefined {
    const fd = arg.num(v);
    return this.tables.get(this.call.tid)?.get(fd);
  }

  private storeDesc(v: Val | undefined): (Desc & { inode: number }) | undefined {
    const d = this.desc(v);
    return d && d.inode !== null ? (d as Desc & { inode: number }) : undefined;
  }

  private dispatch(c: Syscall): void {
    const a = c.args;
    switch (c.name) {
      case 'open':
        return this.open(this.absolute(undefined, a[0]), arg.text(a[1]), c);
      case 'creat':
        return this.open(this.absolute(undefined, a[0]), 'O_WRONLY|O_CREAT|O_TRUNC', c);
      case 'openat':
        return this.open(this.absolute(a[0], a[1]), arg.text(a[2]), c);
      case 'write':
      case 'pwrite64':
      case 'writev':
      case 'pwritev':
      case 'pwritev2':
        return this.write(c);
      case 'read':
      case 'readv': {
        const d = this.storeDesc(a[0]);
        if (d) d.offset += c.ret;
        return;
      }
      case 'lseek': {
        const d = this.storeDesc(a[0]);
        if (d) d.offset = c.ret;
        return;
      }
      case 'ftruncate': {
        const d = this.storeDesc(a[0]);
        if (d) this.truncate(d.inode, arg.num(a[1]));
        return;
      }
      case 'truncate': {
        const parts = this.relative(this.absolute(undefined, a[0]));
        const inode = parts && this.lookup(parts);
        if (inode !== undefined && inode !== null) this.truncate(inode, arg.num(a[1]));
        return;
      }
      case 'rename':
        return this.rename(this.absolute(undefined, a[0]), this.absolute(undefined, a[1]));
      case 'renameat':
      case 'renameat2':
        if (/RENAME_EXCHANGE|RENAME_WHITEOUT/.test(arg.text(a[4]))) this.note(`${c.name} with ${arg.text(a[4])}`, a[1]);
        return this.rename(this.absolute(a[0], a[1]), this.absolute(a[2], a[3]));
      case 'unlink':
      case 'rmdir':
        return this.unlink(this.absolute(undefined, a[0]));
      case 'unlinkat':
        return this.unlink(this.absolute(a[0], a[1]));
      case 'mkdir':
        return this.mkdir(this.absolute(undefined, a[0]));
      case 'mkdirat':
        return this.mkdir(this.absolute(a[0], a[1]));
      case 'link':
        return this.link(this.absolute(undefined, a[0]), this.absolute(undefined, a[1]));
      case 'linkat':
        return this.link(this.absolute(a[0], a[1]), this.absolute(a[2], a[3]));
      case 'fsync':
      case 'fdatasync': {
        const d = this.storeDesc(a[0]);
        if (d) this.emit({ kind: 'fsync', inode: d.inode }, d.inode);
        return;
      }
      case 'sync':
      case 'syncfs':
        return this.emit({ kind: 'sync' });
      case 'close':
        this.table(c.tid).delete(arg.num(a[0]));
        return;
      case 'dup':
        return this.dup(arg.num(a[0]), c.ret);
      case 'dup2':
      case 'dup3':
        return this.dup(arg.num(a[0]), arg.num(a[1]));
      case 'fcntl':
        if (/F_DUPFD/.test(arg.text(a[1]))) this.dup(arg.num(a[0]), c.ret);
        return;
      case 'clone':
      case 'clone3': {
        const flags = a[0]?.t === 'struct' ? arg.text(a[0].fields.flags) : a.map((v) => arg.text(v)).join(' ');
        return this.fork(c.tid, c.ret, /CLONE_FILES/.test(flags));
      }
      case 'fork':
      case 'vfork':
        return this.fork(c.tid, c.ret, false);
      case 'mmap': {
        const d = this.storeDesc(a[4]);
        if (d && /PROT_WRITE/.test(arg.text(a[2])) && /MAP_SHARED/.test(arg.text(a[3]))) this.mapped.add(this.pathOf(d.inode));
        return;
      }
      case 'connect': {
        const addr = a[1]?.t === 'struct' ? a[1].fields : {};
        const host = arg.text(addr.sin_addr ?? addr.sin6_addr).replace(/^inet_(?:addr|pton)\((?:AF_INET6?, )?"?([^"]*)"?.*$/, '$1');
        const port = arg.text(addr.sin_port ?? addr.sin6_port).replace(/^htons\((\d+)\)$/, '$1');
        if (/AF_INET/.test(arg.text(addr.sa_family))) this.peers.add(`${host}:${port}`);
        return;
      }
      case 'copy_file_range':
      case 'sendfile':
      case 'splice':
      case 'fallocate': {
        const d = this.storeDesc(c.name === 'copy_file_range' ? a[2] : a[0]);
        if (d) this.note(c.name, undefined, d.inode);
        return;
      }
    }
  }

  private note(what: string, p?: Val, inode?: number): void {
    this.unsupported.add(`${what} on ${inode !== undefined ? this.pathOf(inode) : arg.text(p)} (line ${this.call.line})`);
  }

  private open(abs: string | undefined, flags: string, c: Syscall): void {
    const path = c.retPath ?? abs ?? '';
    const parts = this.relative(abs ?? c.retPath);
    let inode: number | null = null;
    if (parts) {
      if (/O_TMPFILE/.test(flags)) this.note('O_TMPFILE', undefined);
      inode = this.lookup(parts) ?? null;
      if (inode === null && /O_CREAT/.test(flags)) {
        const at = this.parentOf(parts);
        if (at) inode = this.create(at.parent, at.name, false);
      }
      if (inode !== null && /O_TRUNC/.test(flags) && /O_WRONLY|O_RDWR/.test(flags)) this.truncate(inode, 0);
    }
    this.table(c.tid).set(c.ret, { path, inode, offset: 0, append: /O_APPEND/.test(flags), sync: /O_SYNC|O_DSYNC/.test(flags) });
  }

  private create(parent: number, name: string, dir: boolean): number {
    const inode = this.nextInode++;
    this.dirs.get(parent)!.set(name, inode);
    if (dir) this.dirs.set(inode, new Map());
    this.sizes.set(inode, 0);
    this.emit({ kind: 'create', parent, name, inode, dir }, inode);
    return inode;
  }

  private write(c: Syscall): void {
    const a = c.args;
    const d = this.desc(a[0]);
    let data: Buffer;
    let truncated = false;
    if (c.name === 'writev' || c.name === 'pwritev' || c.name === 'pwritev2') {
      const iov = a[1]?.t === 'list' ? a[1].items : [];
      const parts = iov.map((v) => (v.t === 'struct' ? v.fields.iov_base : undefined));
      truncated = parts.some((v) => arg.truncated(v));
      data = Buffer.concat(parts.map((v) => arg.bytes(v) ?? Buffer.alloc(0)));
    } else {
      truncated = arg.truncated(a[1]);
      data = arg.bytes(a[1]) ?? Buffer.alloc(0);
    }
    if (!d || d.inode === null) return this.protocolOutput(d?.path ?? arg.path(a[0]) ?? '', data);
    if (truncated || data.length < c.ret) throw new Error(`trace line ${c.line}: the recorder cut a ${c.ret}-byte ${c.name} short (raise its -s limit)`);
    data = data.subarray(0, c.ret);
    const positional = c.name === 'pwrite64' || c.name === 'pwritev' || c.name === 'pwritev2';
    const offset = positional ? arg.num(a[3]) : d.append ? (this.sizes.get(d.inode) ?? 0) : d.offset;
    if (!positional) d.offset = offset + data.length;
    this.sizes.set(d.inode, Math.max(this.sizes.get(d.inode) ?? 0, offset + data.length));
    this.emit({ kind: 'write', inode: d.inode, offset, data }, d.inode);
    if (d.sync) this.emit({ kind: 'fsync', inode: d.inode }, d.inode);
  }

  /** Response lines on the driver's stdout: the stream that carried the hello line. */
  private protocolOutput(path: string, data: Buffer): void {
    const text = data.toString('utf8');
    if (this.protocolPath === null) {
      if (!text.includes('"titan-storage-driver"')) return;
      this.protocolPath = path;
    }
    if (path !== this.protocolPath) return;
    this.protocolBuffer += text;
    let nl: number;
    while ((nl = this.protocolBuffer.indexOf('\n')) >= 0) {
      const line = this.protocolBuffer.slice(0, nl);
      this.protocolBuffer = this.protocolBuffer.slice(nl + 1);
      const id = responseId(line);
      if (id !== null) this.emit({ kind: 'ack', id });
    }
  }

  private truncate(inode: number, size: number): void {
    this.sizes.set(inode, size);
    this.emit({ kind: 'truncate', inode, size }, inode);
  }

  private rename(fromAbs: string | undefined, toAbs: string | undefined): void {
    const from = this.relative(fromAbs);
    const to = this.relative(toAbs);
    if (!from && !to) return;
    if (!from || !to) return this.note('rename across the store directory boundary', { t: 'raw', text: `${fromAbs} → ${toAbs}` });
    const src = this.parentOf(from);
    const dst = this.parentOf(to);
    const inode = this.lookup(from);
    if (!src || !dst || inode === undefined) return;
    this.emit({ kind: 'rename', fromParent: src.parent, fromName: src.name, toParent: dst.parent, toName: dst.name, inode }, inode);
    this.dirs.get(src.parent)!.delete(src.name);
    this.dirs.get(dst.parent)!.set(dst.name, inode);
  }

  private unlink(abs: string | undefined): void {
    const parts = this.relative(abs);
    const at = parts && this.parentOf(parts);
    const inode = parts && this.lookup(parts);
    if (!at || inode === undefined || inode === null) return;
    this.emit({ kind: 'unlink', parent: at.parent, name: at.name, inode }, inode);
    this.dirs.get(at.parent)!.delete(at.name);
  }

  private mkdir(abs: string | undefined): void {
    const parts = this.relative(abs);
    const at = parts && this.parentOf(parts);
    if (at) this.create(at.parent, at.name, true);
  }

  private link(fromAbs: string | undefined, toAbs: string | undefined): void {
    const from = this.relative(fromAbs);
    const to = this.relative(toAbs);
    const inode = from && this.lookup(from);
    const at = to && this.parentOf(to);
    if (inode === undefined || inode === null || !at) return;
    this.dirs.get(at.parent)!.set(at.name, inode);
    this.emit({ kind: 'link', parent: at.parent, name: at.name, inode }, inode);
  }

  private dup(from: number, to: number): void {
    const t = this.table(this.call.tid);
    const d = t.get(from);
    if (d) t.set(to, d);
    else t.delete(to);
  }

  /** A new thread shares the table (CLONE_FILES); a new process gets a copy sharing the descriptions. */
  private fork(parent: number, child: number, share: boolean): void {
    const t = this.table(parent);
    const early = this.tables.get(child);
    const table = share ? t : new Map(t);
    if (early) for (const [fd, d] of early) table.set(fd, d);
    this.tables.set(child, table);
  }
}

/** The request id a protocol response line answers, or null for any other line (the hello, noise). */
function responseId(line: string): number | null {
  try {
    const r = JSON.parse(line) as { id?: unknown; ok?: unknown } | null;
    return r !== null && typeof r === 'object' && typeof r.id === 'number' && typeof r.ok === 'boolean' ? r.id : null;
  } catch {
    return null;
  }
}
