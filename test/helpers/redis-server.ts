/**
 * A private redis-server for tests: 127.0.0.1, a free port, its own temporary data dir.
 *
 * Durability across a Redis *server* restart: the server runs with `--appendonly yes
 * --appendfsync always` and no RDB snapshots (`--save ""`). Redis fsyncs the append-only file
 * before it sends the reply, so every write a client saw acknowledged survives a clean restart
 * and a crash (SIGKILL) of the server. `restart({ crash: true })` tests exactly that.
 * (Durability across *application* restarts needs nothing from the server: the data stays in it.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The server's private data dir (append-only file lives here). */
  readonly dataDir: string;
  /** Stop the server and delete its data dir. */
  stop(): Promise<void>;
  /** Stop the server (SIGTERM, or SIGKILL when `crash`) without deleting data. `start()` brings it back. */
  halt(options?: { crash?: boolean }): Promise<void>;
  /** Start the halted server again on the same port and data dir; resolves when it answers PING. */
  start(): Promise<void>;
  /** Freeze the server (SIGSTOP): connections stay open but nothing is answered. `resume()` undoes it. */
  pause(): void;
  resume(): void;
  /** halt() then start(). */
  restart(options?: { crash?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** `always` (default): an acknowledged write is on disk. `everysec`: faster, may lose the last second on a crash. */
  appendfsync?: 'always' | 'everysec' | 'no';
}

const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** The path of redis-server on PATH, or null. */
export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Should Redis tests run? `skipReason` is set when redis-server is missing and that is allowed;
 * `failReason` when it is missing but required (env CI set, or TITAN_REQUIRE_REDIS=1).
 */
export function redisTestGate(): { skipReason: string | null; failReason: string | null } {
  if (findRedisServer() !== null) return { skipReason: null, failReason: null };
  const required = Boolean(process.env.CI) || process.env.TITAN_REQUIRE_REDIS === '1';
  const why = 'redis-server is not on PATH (install it: apt-get install -y redis-server)';
  return required ? { skipReason: null, failReason: `${why}; Redis tests are required because ${process.env.CI ? 'CI is set' : 'TITAN_REQUIRE_REDIS=1'}` } : { skipReason: why, failReason: null };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** One PING over a raw socket: true when the server answers +PONG (not -LOADING etc.). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL'); // also ends a SIGSTOPped server
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startRedis(options: StartOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  if (binary === null) throw new Error(redisTestGate().failReason ?? 'redis-server is not on PATH');
  killAllOnExit();
  const dataDir = mkdtempSync(join(tmpdir(), 'titan-redis-'));
  const port = await freePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--save', '',
    '--appendonly', 'yes',
    '--appendfsync', options.appendfsync ?? 'always',
    '--daemonize', 'no',
    '--logfile', '',
  ];
  let child: ChildProcess | null = null;
  let output = '';

  async function start(): Promise<void> {
    if (child) throw new Error('redis-server is already running');
    output = '';
    const c = spawn(binary!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    live.add(c);
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    c.stdout!.on('data', keep);
    c.stderr!.on('data', keep);
    c.once('exit', () => live.delete(c));
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) break;
      if (await ping(port)) return;
      await new Promise((r) => setTimeout(r, 30));
    }
    c.kill('SIGKILL');
    child = null;
    throw new Error(`redis-server on port ${port} did not answer PING within ${STARTUP_TIMEOUT_MS} ms; its output:\n${output}`);
  }

  async function halt({ crash = false } = {}): Promise<void> {
    const c = child;
    if (!c) return;
    child = null;
    c.kill('SIGCONT'); // a paused server cannot handle SIGTERM
    c.kill(crash ? 'SIGKILL' : 'SIGTERM');
    if (!(await waitExit(c, STOP_TIMEOUT_MS))) {
      c.kill('SIGKILL');
      await waitExit(c, STOP_TIMEOUT_MS);
    }
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    start,
    halt,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    restart: async (o) => {
      await halt(o);
      await start();
    },
    stop: async () => {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
