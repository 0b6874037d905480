/**
 * One driver process: spawn, handshake, requests matched to responses in order, timeouts, and a
 * clear DriverError for every way a process can misbehave. After any failure the process is dead
 * (killed if still running) and every outstanding and later request rejects with that failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DriverError, type DriverErrorKind } from './errors.js';
import { LineSplitter, quoteLine, type Line } from './lines.js';
import { SUPPORTED_VERSIONS, helloProblem, servesClients, type Hello, type NemesisRequest, type Request, type RequestOp } from './protocol.js';

export interface DriverProcessOptions {
  /** How long the process may take to print its hello line (default 10 000 ms). */
  helloTimeoutMs?: number;
  /** How long any request may take (default 10 000 ms); a request that takes longer kills the process. */
  requestTimeoutMs?: number;
  /** Working directory and environment of the process (default: ours). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How many of the process's last stderr lines an error message quotes (default 10). */
  stderrLines?: number;
  /** Copy the driver's stderr to ours as it arrives (RunOptions.driverStderr). */
  echoStderr?: boolean;
}

interface Pending {
  id: number;
  what: string;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

type Phase = 'handshake' | 'ready' | 'dead';

/** Processes still running, killed if the runner exits so no driver outlives it. */
const live = new Set<DriverProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

export class DriverProcess {
  private readonly child: ChildProcess;
  private phase: Phase = 'handshake';
  private failure: DriverError | null = null;
  private readonly pending: Pending[] = [];
  private nextId = 1;
  private readonly stdout = new LineSplitter();
  private readonly stderrTail: string[] = [];
  private stderrPartial = '';
  private readonly exited: Promise<void>;
  private helloWaiter!: { resolve: (h: Hello) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
  private hello_: Hello | undefined;

  private constructor(
    readonly command: string,
    private readonly opts: DriverProcessOptions,
  ) {
    installExitHook();
    // A process group of its own, so a kill reaches the driver and not only the `sh` that started it.
    this.child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd, env: opts.env, detached: true });
    live.add(this);
    // Idle drivers must not keep the runner alive; outstanding requests hold it through their timers.
    this.child.unref();
    for (const s of [this.child.stdout, this.child.stderr, this.child.stdin]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        live.delete(this);
        this.onExit(code, signal);
        resolve();
      });
    });
    this.child.on('error', (e) => this.fail('spawn-failed', `could not start \`${command}\`: ${e.message}`));
    this.child.stdin!.on('error', () => {}); // EPIPE after the driver died: its exit is reported instead
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of this.stdout.push(chunk)) this.onLine(line);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
  }

  /** Spawn `command` (run by `sh -c`) and wait for a valid hello. */
  static start(command: string, opts: DriverProcessOptions = {}): Promise<DriverProcess> {
    const p = new DriverProcess(command, opts);
    const ms = opts.helloTimeoutMs ?? 10_000;
    return new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => p.fail('hello-timeout', `the driver printed no hello line within ${ms} ms of starting`), ms);
      p.helloWaiter = { resolve, reject, timer };
    }).then(() => p);
  }

  get hello(): Hello {
    return this.hello_!;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the process runs and has not failed. */
  get alive(): boolean {
    return this.phase === 'ready';
  }

  /** Why the process is dead, when it is. */
  get error(): DriverError | null {
    return this.failure;
  }

  /** Send a request; resolves to the response's value, rejects with the driver's typed error or a DriverError. */
  request(op: RequestOp, fields: { dir?: string; args?: string[]; client?: number } | NemesisRequest = {}, timeoutMs?: number): Promise<unknown> {
    if (this.phase !== 'ready') return Promise.reject(this.failure ?? new DriverError('crashed', 'the driver is not ready', this.command));
    const id = this.nextId++;
    const req = { id, op, ...fields } as Request;
    const what = describeRequest(req);
    const ms = timeoutMs ?? this.opts.requestTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail('timeout', `the driver did not answer request ${id} ${what} within ${ms} ms (it was killed)`), ms);
      this.pending.push({ id, what, resolve, reject, timer });
      this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** SIGKILL the process (no close, no flush) and wait until it is gone. Outstanding requests reject with kind "killed". */
  async kill(): Promise<void> {
    this.fail('killed', 'the driver process was killed with SIGKILL by the runner');
    await this.waitForExit();
  }

  /** Close stdin (the driver should exit on EOF); SIGKILL after `graceMs`. */
  async end(graceMs = 2000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.killNow(), graceMs);
    await this.waitForExit();
    clearTimeout(timer);
  }

  /** Wait for the exit, holding the event loop open meanwhile (the child and its pipes are unref'd). */
  private async waitForExit(): Promise<void> {
    const hold = setInterval(() => {}, 1 << 30);
    try {
      await this.exited;
    } finally {
      clearInterval(hold);
    }
  }

  /** Synchronous SIGKILL of the whole process group. */
  killNow(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      try {
        this.child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  private onLine(line: Line): void {
    if (this.phase === 'dead') return;
    if (!line.ok) return this.fail(this.phase === 'handshake' ? 'bad-hello' : 'garbage', `the driver wrote a line that is not valid UTF-8: ${quoteLine(line.bytes)}`);
    let msg: unknown;
    try {
      msg = JSON.parse(line.text);
    } catch {
      const what = this.phase === 'handshake' ? 'bad-hello' : 'garbage';
      return this.fail(what, `the driver wrote a line that is not JSON${this.phase === 'handshake' ? ' instead of its hello' : ''}: ${quoteLine(line.text)}`);
    }
    if (this.phase === 'handshake') return this.onHello(msg, line.text);
    this.onResponse(msg, line.text);
  }

  private onHello(msg: unknown, text: string): void {
    const problem = helloProblem(msg);
    if (problem) return this.fail('bad-hello', `the driver's first line is not a valid hello: ${problem}: ${quoteLine(text)}`);
    const hello = msg as Hello;
    if (!SUPPORTED_VERSIONS.includes(hello.version)) {
      return this.fail('version-mismatch', `the driver speaks protocol version ${hello.version}; this runner speaks versions ${SUPPORTED_VERSIONS.join(' and ')}`);
    }
    this.hello_ = hello;
    this.phase = 'ready';
    clearTimeout(this.helloWaiter.timer);
    this.helloWaiter.resolve(hello);
  }

  private onResponse(msg: unknown, text: string): void {
    const r = msg as Record<string, unknown> | null;
    if (r === null || typeof r !== 'object' || Array.isArray(r) || typeof r.id !== 'number' || typeof r.ok !== 'boolean') {
      return this.fail('bad-response', `the driver wrote a response without a numeric "id" and a boolean "ok": ${quoteLine(text)}`);
    }
    // Version-2 drivers serving clients answer in any order, matched by id.
    const at = servesClients(this.hello_!) ? Math.max(0, this.pending.findIndex((p) => p.id === r.id)) : 0;
    const head = this.pending[at];
    if (!head) return this.fail('unexpected-id', `the driver answered request id ${r.id}, but no request is outstanding: ${quoteLine(text)}`);
    if (r.id !== head.id) {
      const later = this.pending.some((p) => p.id === r.id);
      return this.fail(
        'unexpected-id',
        later
          ? `the driver answered request ${r.id} before request ${head.id} ${head.what}: responses must come in request order`
          : `the driver answered an unknown request id ${JSON.stringify(r.id)} while request ${head.id} ${head.what} was outstanding: ${quoteLine(text)}`,
      );
    }
    let error: Error | null = null;
    if (r.ok === false) {
      const body = r.error as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || typeof body.message !== 'string' || typeof body.type !== 'string') {
        return this.fail('bad-response', `the driver's error response has no {"type", "message"} error object: ${quoteLine(text)}`);
      }
      error = body.type === 'TypeError' ? new TypeError(body.message) : Object.assign(new Error(body.message), { name: body.type || 'Error' });
    }
    this.pending.splice(at, 1);
    clearTimeout(head.timer);
    if (error) head.reject(error);
    // An absent "value" stays undefined, so a get that returned nothing is visible to the result-type check.
    else head.resolve('value' in r ? r.value : undefined);
  }

  private onStderr(chunk: Buffer): void {
    if (this.opts.echoStderr) process.stderr.write(chunk);
    const parts = (this.stderrPartial + chunk.toString('utf8')).split('\n');
    this.stderrPartial = parts.pop()!.slice(-1000);
    for (const l of parts) this.pushStderr(l);
  }

  private pushStderr(l: string): void {
    this.stderrTail.push(l.length > 300 ? `${l.slice(0, 300)}…` : l);
    const max = this.opts.stderrLines ?? 10;
    while (this.stderrTail.length > max) this.stderrTail.shift();
  }

  private stderrSummary(): string {
    if (this.stderrPartial) {
      this.pushStderr(this.stderrPartial);
      this.stderrPartial = '';
    }
    const lines = this.stderrTail.filter((l) => l.trim() !== '');
    return lines.length ? `; last stderr lines:\n  ${lines.join('\n  ')}` : '; it wrote nothing on stderr';
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const rest = this.stdout.rest();
    const partial = rest.length ? ` after a partial line ${quoteLine(rest)}` : '';
    if (this.phase === 'handshake') return this.fail('exited-during-handshake', `the driver ${how} before sending its hello${partial}${this.stderrSummary()}`);
    const during = this.pending[0] ? ` while request ${this.pending[0].id} ${this.pending[0].what} was outstanding` : '';
    this.fail('crashed', `the driver process ${how}${during}${partial}${this.stderrSummary()}`);
  }

  private fail(kind: DriverErrorKind, message: string): void {
    if (this.phase === 'dead') return;
    const wasHandshake = this.phase === 'handshake';
    this.phase = 'dead';
    this.failure = new DriverError(kind, `${message} [driver: ${this.command}]`, this.command);
    this.killNow();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    if (wasHandshake && this.helloWaiter) {
      clearTimeout(this.helloWaiter.timer);
      this.helloWaiter.reject(this.failure);
    }
  }
}

function describeRequest(r: Request): string {
  if (r.op === 'open') return `open(${JSON.stringify(r.dir)})`;
  if (r.op === 'close') return 'close()';
  if (r.op === 'nemesis') return `nemesis(${JSON.stringify(r).slice(0, 80)})`;
  return `${r.op}(${r.args.map((a) => JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a)).join(', ')})`;
}
