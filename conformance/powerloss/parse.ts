/**
 * A parser for `strace -f -ttt -y -qq -s N` output: one record per completed system call, with
 * `<unfinished ...>` / `<... resumed>` halves joined (by thread id) and placed where the call
 * returned. Arguments become values: byte strings (C escapes decoded), numbers (with the `-y` path
 * of a file descriptor), lists, structs and raw tokens (flags, constants).
 */

export type Val =
  | { readonly t: 'str'; readonly bytes: Buffer; readonly truncated: boolean }
  | { readonly t: 'num'; readonly n: number; readonly path?: string }
  | { readonly t: 'list'; readonly items: readonly Val[] }
  | { readonly t: 'struct'; readonly fields: Readonly<Record<string, Val>> }
  | { readonly t: 'raw'; readonly text: string; readonly path?: string };

export interface Syscall {
  /** 1-based line of the trace where the call returned. */
  readonly line: number;
  readonly tid: number;
  readonly time: number;
  readonly name: string;
  readonly args: readonly Val[];
  /** The return value (NaN when strace printed `?`), -1 with `errno` on failure. */
  readonly ret: number;
  /** The `-y` path of a returned file descriptor. */
  readonly retPath?: string;
  readonly errno?: string;
  /** The original text, for reports. */
  readonly text: string;
}

const LINE = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/;

/** Every completed system call of a trace, in the order they returned (yielding to the event loop as it goes). */
export async function parseTrace(text: string): Promise<Syscall[]> {
  const out: Syscall[] = [];
  const unfinished = new Map<number, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i % 500 === 499) await new Promise<void>((r) => setImmediate(r));
    const m = LINE.exec(lines[i]!);
    if (!m) continue;
    const tid = Number(m[1]);
    const time = Number(m[2]);
    let body = m[3]!;
    if (body.startsWith('+++') || body.startsWith('---')) continue;
    if (body.endsWith(' <unfinished ...>')) {
      unfinished.set(tid, body.slice(0, -' <unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. ([\w]+) resumed>(.*)$/.exec(body);
    if (resumed) {
      const head = unfinished.get(tid);
      unfinished.delete(tid);
      if (head === undefined) continue;
      body = head + resumed[2]!;
    }
    const call = parseCall(body);
    if (call) out.push({ line: i + 1, tid, time, ...call, text: body });
  }
  return out;
}

/** `name(args) = ret` → its parts, or null for a line that is not a complete call. */
export function parseCall(body: string): Omit<Syscall, 'line' | 'tid' | 'time' | 'text'> | null {
  const open = body.indexOf('(');
  if (open <= 0) return null;
  const name = body.slice(0, open);
  if (!/^\w+$/.test(name)) return null;
  const p = new Cursor(body, open + 1);
  const args: Val[] = [];
  p.ws();
  if (p.peek() !== ')') {
    for (;;) {
      args.push(p.value());
      p.ws();
      if (p.peek() === ',') {
        p.i++;
        p.ws();
        continue;
      }
      break;
    }
  }
  if (p.peek() !== ')') return null;
  p.i++;
  const rest = /^\s+=\s+(\S+?)(?:<([^>]*)>)?(?:\s+(E[A-Z0-9]+))?(?:\s.*)?$/.exec(body.slice(p.i));
  if (!rest) return null;
  const ret = rest[1] === '?' ? NaN : Number(rest[1]);
  return { name, args, ret, ...(rest[2] !== undefined ? { retPath: unescapePath(rest[2]) } : {}), ...(rest[3] ? { errno: rest[3] } : {}) };
}

class Cursor {
  constructor(
    readonly s: string,
    public i: number,
  ) {}
  peek(): string {
    return this.s[this.i] ?? '';
  }
  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  value(): Val {
    const v = this.single();
    this.ws();
    // clone3({...} => {parent_tid=[42]}): the value the kernel wrote back; keep the input.
    if (this.s.startsWith('=>', this.i)) {
      this.i += 2;
      this.ws();
      this.single();
    }
    return v;
  }

  private single(): Val {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === '[') return { t: 'list', items: this.sequence(']') };
    if (c === '{') return this.struct();
    return this.raw();
  }

  private sequence(close: string): Val[] {
    this.i++;
    const items: Val[] = [];
    this.ws();
    while (this.peek() !== close && this.i < this.s.length) {
      items.push(this.value());
      this.ws();
      if (this.peek() === ',') this.i++;
      this.ws();
    }
    this.i++;
    return items;
  }

  private struct(): Val {
    this.i++;
    const fields: Record<string, Val> = {};
    this.ws();
    while (this.peek() !== '}' && this.i < this.s.length) {
      const m = /^(\w+)=/.exec(this.s.slice(this.i, this.i + 64));
      if (m) {
        this.i += m[0].length;
        fields[m[1]!] = this.value();
      } else this.value();
      this.ws();
      if (this.peek() === ',') this.i++;
      this.ws();
    }
    this.i++;
    return { t: 'struct', fields };
  }

  private string(): Val {
    const s = this.s;
    // Decoded bytes are never more than the escaped text: write into one buffer of that size.
    const close = s.length;
    const out = Buffer.allocUnsafe(close - this.i);
    let n = 0;
    let i = this.i + 1;
    while (i < close) {
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c !== 92) {
        // Printable characters are ASCII in strace output; anything else is escaped.
        let j = i + 1;
        while (j < close && s.charCodeAt(j) !== 34 && s.charCodeAt(j) !== 92) j++;
        n += out.write(s.slice(i, j), n, 'latin1');
        i = j;
        continue;
      }
      const e = s[i + 1]!;
      i += 2;
      if (e === 'x') {
        out[n++] = parseInt(s.slice(i, i + 2), 16);
        i += 2;
      } else if (e >= '0' && e <= '7') {
        let j = i - 1;
        let v = 0;
        while (j < i + 2 && s[j]! >= '0' && s[j]! <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
        out[n++] = v & 0xff;
        i = j;
      } else out[n++] = ESCAPES[e] ?? e.charCodeAt(0);
    }
    this.i = i + 1;
    let truncated = false;
    if (s.startsWith('...', this.i)) {
      truncated = true;
      this.i += 3;
    }
    return { t: 'str', bytes: Buffer.from(out.subarray(0, n)), truncated };
  }

  /** A token up to the next top-level `,` `)` `]` `}`, with an optional `<path>` annotation. */
  private raw(): Val {
    const start = this.i;
    let depth = 0;
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '<') break;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.i++;
    }
    const text = s.slice(start, this.i).trim();
    let path: string | undefined;
    if (this.peek() === '<') {
      const end = s.indexOf('>', this.i);
      path = unescapePath(s.slice(this.i + 1, end));
      this.i = end + 1;
      // `(deleted)` after the path of an unlinked file.
      if (s.startsWith('(deleted)', this.i)) this.i += '(deleted)'.length;
    }
    const n = /^-?(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : NaN;
    if (!Number.isNaN(n)) return path === undefined ? { t: 'num', n } : { t: 'num', n, path };
    return path === undefined ? { t: 'raw', text } : { t: 'raw', text, path };
  }
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, '\\': 92 };

/** `-y` paths escape non-printable bytes as \xHH or octal. */
function unescapePath(p: string): string {
  if (!p.includes('\\')) return p;
  const v = new Cursor(`"${p.replace(/"/g, '\\"')}"`, 0).value();
  return v.t === 'str' ? v.bytes.toString('utf8') : p;
}

/** Helpers for reading arguments. */
export const arg = {
  num(v: Val | undefined): number {
    return v?.t === 'num' ? v.n : NaN;
  },
  path(v: Val | undefined): string | undefined {
    return v && (v.t === 'num' || v.t === 'raw') ? v.path : undefined;
  },
  text(v: Val | undefined): string {
    if (!v) return '';
    if (v.t === 'raw') return v.text;
    if (v.t === 'num') return String(v.n);
    if (v.t === 'str') return v.bytes.toString('utf8');
    return '';
  },
  bytes(v: Val | undefined): Buffer | undefined {
    return v?.t === 'str' ? v.bytes : undefined;
  },
  truncated(v: Val | undefined): boolean {
    return v?.t === 'str' && v.truncated;
  },
};
