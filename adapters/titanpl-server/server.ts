/**
 * One titan-server process serving the built app (PATHS.dist) on a loopback port, and keep-alive
 * HTTP calls to its actions. titan-server 7.0.1 binds 0.0.0.0 with no host setting, so this is
 * only ever started inside a network namespace that has nothing but loopback (see driver.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { PATHS } from './paths.js';

export class ServerDied extends Error {}

/** Ports are handed out in sequence: a killed server's port may linger in TIME_WAIT. */
let nextPort = Number(process.env.TITANPL_SERVER_BASE_PORT ?? 21000);

export class TitanServer {
  readonly port = nextPort++;
  private readonly child: ChildProcess;
  private readonly log: string[] = [];
  private partial = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<void>;
  /** One connection per client number, so concurrent clients land on different isolates. */
  private readonly agents = new Map<number, Agent>();

  /** `cwd`: the server's working directory (a library that writes files writes them there); default the caller's. */
  constructor(dist = PATHS.dist, cwd?: string) {
    this.child = spawn(PATHS.server, ['run', dist], {
      cwd,
      env: { ...process.env, PORT: String(this.port), RUST_BACKTRACE: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => this.onLog(chunk);
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      this.child.on('error', (e) => {
        this.log.push(`spawn failed: ${e.message}`);
        this.exit = { code: null, signal: null };
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  private onLog(chunk: Buffer): void {
    // eslint-disable-next-line no-control-regex
    const parts = (this.partial + chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '')).split('\n');
    this.partial = parts.pop()!.slice(-2000);
    for (const l of parts) if (l.trim()) this.log.push(l.length > 300 ? `${l.slice(0, 300)}…` : l);
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
  }

  /** "exited with code 134", "was killed by SIGABRT", or "is still running". */
  describeExit(): string {
    if (!this.exit) return 'is still running';
    return this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  lastLogLines(n = 8): string[] {
    return [...this.log, ...(this.partial.trim() ? [this.partial] : [])].slice(-n);
  }

  /** Poll the no-op action until the server answers (start-up takes ~0.8 s here). */
  async ready(timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new ServerDied(`titan-server ${this.describeExit()} while starting; last log lines:\n  ${this.lastLogLines().join('\n  ')}`);
      try {
        await this.post('/noop', {}, 0, 1000);
        return;
      } catch (e) {
        if (Date.now() > until) throw new Error(`titan-server did not answer on port ${this.port} within ${timeoutMs} ms: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  /** POST a JSON body to an action; resolves to the parsed JSON answer. */
  post(path: string, body: unknown, client = 0, timeoutMs = 10_000): Promise<unknown> {
    let agent = this.agents.get(client);
    if (!agent) this.agents.set(client, (agent = new Agent({ keepAlive: true, maxSockets: 1 })));
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode} from ${path}: ${text.slice(0, 300)}`));
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`${path} answered something that is not JSON: ${text.slice(0, 300)}`));
            }
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    for (const a of this.agents.values()) a.destroy();
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }
}
