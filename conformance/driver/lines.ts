/**
 * Splitting a byte stream into protocol lines. Lines are split on "\n" bytes and decoded as strict
 * UTF-8, so a driver that emits invalid UTF-8 (e.g. raw lone surrogates) is reported, not silently
 * turned into U+FFFD.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type Line = { ok: true; text: string } | { ok: false; bytes: Buffer };

export class LineSplitter {
  private pending: Buffer[] = [];

  /** Feed a chunk; returns the complete lines it finished (without the newline; a trailing "\r" is dropped). */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      const bytes = this.pending.length ? Buffer.concat([...this.pending, part]) : part;
      this.pending = [];
      lines.push(decode(bytes[bytes.length - 1] === 13 ? bytes.subarray(0, -1) : bytes));
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** Bytes received after the last newline (a partial line at end of stream). */
  rest(): Buffer {
    return Buffer.concat(this.pending);
  }
}

function decode(bytes: Buffer): Line {
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, bytes: Buffer.from(bytes) };
  }
}

/** A line quoted for an error message, cut to `max` characters. */
export function quoteLine(line: string | Buffer, max = 200): string {
  if (Buffer.isBuffer(line)) {
    const shown = line.subarray(0, max).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return `${shown}${line.length > max ? `… (${line.length} bytes)` : ''}`;
  }
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line) + (line.length > max ? ` (${line.length} chars)` : '');
}
