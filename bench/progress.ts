/** A one-line progress display on stderr: step count, elapsed time, ETA and the current task. */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly total: number) {}

  step(label: string): void {
    this.done++;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.done > 1 ? (elapsed / (this.done - 1)) * (this.total - this.done + 1) : NaN;
    const line = `[${this.done}/${this.total}] ${elapsed.toFixed(0)}s${Number.isFinite(eta) ? `, ~${eta.toFixed(0)}s left` : ''}  ${label}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
    else process.stderr.write(`${line}\n`);
  }

  note(message: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${message}\n`);
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
