// The strace parser and the interpreter, on hand-made traces: exact bytes, offsets, split calls, acks.
import { describe, expect, it } from 'vitest';
import { parseCall, parseTrace } from '../../conformance/powerloss/parse.js';
import { interpret, type TimedEvent } from '../../conformance/powerloss/trace.js';

const D = '/s/store';
/** A trace from lines of `name(args) = ret` (tid 7 unless the line starts with a tid). */
function trace(...lines: string[]): string {
  return lines.map((l, i) => (/^\d+ /.test(l) ? l.replace(/^(\d+) /, `$1 1.${String(i).padStart(6, '0')} `) : `7 1.${String(i).padStart(6, '0')} ${l}`)).join('\n');
}
const HELLO = 'write(1<pipe:[9]>, "{\\"protocol\\":\\"titan-storage-driver\\",\\"version\\":1}\\n", 47) = 47';
const kinds = (es: readonly TimedEvent[]) => es.map((e) => e.kind);

describe('parseCall', () => {
  it('decodes C escapes (octal, hex, named) into exact bytes', async () => {
    const c = parseCall('write(3</a>, "\\0\\0000.2\\303\\251\\x41\\n\\t\\"\\\\", 14) = 14')!;
    expect(c.name).toBe('write');
    const s = c.args[1]!;
    expect(s.t === 'str' && [...s.bytes]).toEqual([0, 0, 0x30, 0x2e, 0x32, 0xc3, 0xa9, 0x41, 10, 9, 34, 92]);
    expect(c.ret).toBe(14);
  });

  it('reads fd paths, returned fd paths, errno and truncated strings', async () => {
    const c = parseCall('openat(AT_FDCWD</cwd>, "/s/store/a", O_RDONLY|O_CLOEXEC) = 5</s/store/a>')!;
    expect(c.args[0]).toEqual({ t: 'raw', text: 'AT_FDCWD', path: '/cwd' });
    expect(c.retPath).toBe('/s/store/a');
    const e = parseCall('openat(AT_FDCWD</cwd>, "/x", O_RDONLY) = -1 ENOENT (No such file or directory)')!;
    expect([e.ret, e.errno]).toEqual([-1, 'ENOENT']);
    const t = parseCall('write(5</s/store/a>, "abc"..., 4096) = 4096')!;
    expect(t.args[1]!.t === 'str' && t.args[1]!.truncated).toBe(true);
  });

  it('parses iovec lists and clone3 structs with their written-back part', async () => {
    const w = parseCall('writev(5</f>, [{iov_base="ab", iov_len=2}, {iov_base="c", iov_len=1}], 2) = 3')!;
    expect(w.args[1]!.t).toBe('list');
    const c = parseCall('clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD, child_tid=0x7f} => {parent_tid=[42]}, 88) = 42')!;
    expect(c.args[0]!.t === 'struct' && c.args[0]!.fields.flags).toEqual({ t: 'raw', text: 'CLONE_VM|CLONE_FILES|CLONE_THREAD' });
    expect(c.ret).toBe(42);
  });
});

describe('parseTrace + interpret', () => {
  it('joins unfinished and resumed halves, placed where the call returned', async () => {
    const calls = await parseTrace(trace('8 fsync(5</f> <unfinished ...>', '7 close(3</g>) = 0', '8 <... fsync resumed>) = 0'));
    expect(calls.map((c) => [c.name, c.tid, c.line])).toEqual([['close', 7, 2], ['fsync', 8, 3]]);
  });

  it('tracks inodes through create, rename and unlink, and names the store directory "."', async () => {
    const t = interpret(
      await parseTrace(
        trace(
          `openat(AT_FDCWD</cwd>, "${D}/.a.tmp", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 5<${D}/.a.tmp>`,
          `write(5<${D}/.a.tmp>, "hello", 5) = 5`,
          `fsync(5<${D}/.a.tmp>) = 0`,
          `close(5<${D}/.a.tmp>) = 0`,
          `rename("${D}/.a.tmp", "${D}/a") = 0`,
          `openat(AT_FDCWD</cwd>, "${D}", O_RDONLY|O_CLOEXEC) = 6<${D}>`,
          `fsync(6<${D}>) = 0`,
          `unlink("${D}/a") = 0`,
          `openat(AT_FDCWD</cwd>, "/elsewhere/x", O_WRONLY|O_CREAT, 0666) = 7</elsewhere/x>`,
          `write(7</elsewhere/x>, "ignored", 7) = 7`,
        ),
      ),
      D,
    );
    expect(kinds(t.events)).toEqual(['create', 'truncate', 'write', 'fsync', 'rename', 'fsync', 'unlink']);
    const [create, , write, , rename, dirSync] = t.events as TimedEvent[];
    expect(create).toMatchObject({ kind: 'create', parent: 0, name: '.a.tmp', inode: 1, path: '.a.tmp' });
    expect(write).toMatchObject({ kind: 'write', inode: 1, offset: 0 });
    expect(write?.kind === 'write' && write.data.toString()).toBe('hello');
    expect(rename).toMatchObject({ kind: 'rename', fromName: '.a.tmp', toName: 'a', inode: 1 });
    expect(dirSync).toMatchObject({ kind: 'fsync', inode: 0, path: '.' });
  });

  it('puts write() at the tracked offset: O_APPEND at the end, lseek, reads advancing it; pwrite at its own', async () => {
    const t = interpret(
      await parseTrace(
        trace(
          `openat(AT_FDCWD</cwd>, "log", O_WRONLY|O_CREAT|O_APPEND, 0666) = 5<${D}/log>`,
          `write(5<${D}/log>, "aaaa", 4) = 4`,
          `write(5<${D}/log>, "bb", 2) = 2`,
          `openat(AT_FDCWD</cwd>, "log", O_RDWR) = 6<${D}/log>`,
          `read(6<${D}/log>, "aaa", 3) = 3`,
          `write(6<${D}/log>, "X", 1) = 1`,
          `lseek(6<${D}/log>, 0, SEEK_END) = 6`,
          `write(6<${D}/log>, "Y", 1) = 1`,
          `pwrite64(6<${D}/log>, "Z", 1, 100) = 1`,
          `write(6<${D}/log>, "partial", 7) = 3`,
        ).replace(/AT_FDCWD<\/cwd>/g, `AT_FDCWD<${D}>`),
      ),
      D,
    );
    const writes = t.events.filter((e) => e.kind === 'write').map((e) => (e.kind === 'write' ? [e.offset, e.data.toString()] : []));
    expect(writes).toEqual([[0, 'aaaa'], [4, 'bb'], [3, 'X'], [6, 'Y'], [100, 'Z'], [7, 'par']]);
  });

  it('shares descriptors between threads (CLONE_FILES) and turns response lines into acks', async () => {
    const t = interpret(
      await parseTrace(
        trace(
          HELLO,
          `openat(AT_FDCWD</cwd>, "${D}/f", O_WRONLY|O_CREAT, 0666) = 5<${D}/f>`,
          'clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD} => {parent_tid=[8]}, 88) = 8',
          `8 write(5<${D}/f>, "x", 1) = 1`,
          '8 fdatasync(5</s/store/f>) = 0',
          'write(1<pipe:[9]>, "{\\"id\\":1,\\"ok\\":true,\\"value\\":null}\\n{\\"id\\":2,", 46) = 46',
          'write(1<pipe:[9]>, "\\"ok\\":true}\\n", 12) = 12',
          'write(1<pipe:[10]>, "{\\"id\\":3,\\"ok\\":true}\\n", 19) = 19',
        ),
      ),
      D,
    );
    expect(kinds(t.events)).toEqual(['create', 'write', 'fsync', 'ack', 'ack']);
    expect(t.events.filter((e) => e.kind === 'ack').map((e) => (e.kind === 'ack' ? e.id : 0))).toEqual([1, 2]);
  });

  it('reports what it cannot replay, shared writable mappings, and network peers', async () => {
    const t = interpret(
      await parseTrace(
        trace(
          `openat(AT_FDCWD</cwd>, "${D}/m", O_RDWR|O_CREAT, 0644) = 5<${D}/m>`,
          `mmap(NULL, 32768, PROT_READ|PROT_WRITE, MAP_SHARED, 5<${D}/m>, 0) = 0x7f00`,
          `fallocate(5<${D}/m>, 0, 0, 4096) = 0`,
          'connect(9<socket:[1]>, {sa_family=AF_INET, sin_port=htons(6379), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
        ),
      ),
      D,
    );
    expect(t.mapped).toEqual(['m']);
    expect(t.unsupported[0]).toMatch(/^fallocate on m/);
    expect(t.peers).toEqual(['127.0.0.1:6379']);
  });

  it('refuses a write the recorder cut short instead of replaying wrong bytes', async () => {
    const calls = await parseTrace(trace(`openat(AT_FDCWD</cwd>, "${D}/f", O_WRONLY|O_CREAT, 0666) = 5<${D}/f>`, `write(5<${D}/f>, "abc"..., 4096) = 4096`));
    expect(() => interpret(calls, D)).toThrow(/cut a 4096-byte write short/);
  });
});
