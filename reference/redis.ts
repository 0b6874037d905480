/**
 * The change note's optional Redis backend: durable (the data lives in the Redis server) and
 * shared by every process that opens the same `dir` against the same server.
 *
 * Layout, per store namespace `ns = prefix + sha256(absolute dir)[0..32] + ":"`:
 *   `${ns}ls`                 one hash: local storage
 *   `${ns}s:` + bytes(id)     one hash per session (the id is the whole rest of the key, so
 *                             ids containing ":" or "" cannot collide with each other or with `ls`)
 * Every key, field and value is the UTF-16LE encoding of the JS string: Redis stores bytes and
 * UTF-8 cannot carry lone surrogates, UTF-16LE code units round-trip every JS string exactly.
 * clear() and session.clear() are one DEL of one key, hence atomic. A hash whose last field is
 * removed disappears, which is exactly the model's "a session with no entries is absent".
 *
 * The `dir` only names the namespace: the same path again (from any process or host using the
 * same server and prefix) is the same store, so a deleted and re-created dir is not fresh.
 *
 * Faults: no offline queue, no retries, no resending of unanswered commands, and a command
 * deadline (size-aware for writes). While the server is unreachable every operation rejects with an Error naming the
 * server (never a silent success, never a hang); the client keeps reconnecting in the background
 * and operations succeed again once the server is back.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Capabilities, Implementation, Storage } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';

export interface RedisStoreOptions {
  /** e.g. redis://127.0.0.1:6379 or rediss://user:pass@host:6380/2 */
  url: string;
  /** Prepended to every key (default "titan:"). */
  prefix?: string;
  /** When set, a session expires this many seconds after its last session.set (EXPIRE on each set). */
  sessionTtlSeconds?: number;
  /**
   * A command (or the initial connection) without a reply within this time fails with an error
   * (default 3000 ms); writes get 250 ms more per MiB they send, so large values are not cut off.
   */
  commandTimeoutMs?: number;
  /** Extra ioredis options (e.g. a `Connector` that finds the primary through Sentinels; reference/redis-replicated/). */
  ioredis?: RedisOptions;
  /**
   * Send `WAIT replicas timeoutMs` after every write, on the same connection in one pipeline, and
   * acknowledge the write only when that many replicas confirmed it; fewer is an error saying the
   * write is on the primary and may or may not survive a failover.
   */
  waitForReplicas?: { replicas: number; timeoutMs: number };
  /**
   * The server's `appendfsync` (it is the server's setting; the store declares what it implies): `always`
   * (default) fsyncs the append-only file before each reply, so the store is durable; `everysec` fsyncs once
   * a second, and Redis documents losing up to 2 s of writes in the worst case (a slow disk delays the
   * next fsync by up to one more second): a bounded 2 000 ms window.
   */
  appendfsync?: 'always' | 'everysec';
}

/** What a server with this `appendfsync` promises. Power loss is declared but not observable here: the data lives in the server, which the recorder does not follow. */
export function redisPersistence(appendfsync: 'always' | 'everysec' = 'always'): Capabilities['persistence'] {
  return appendfsync === 'always' ? 'durable' : { kind: 'bounded', windowMs: 2000, survives: ['restart', 'sigkill', 'powerloss'] };
}

/** The contract's capabilities; `ttl` is set when sessions expire. */
export type RedisCapabilities = Capabilities;

export const DEFAULT_PREFIX = 'titan:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 3000;
/** Extra time a write gets per MiB it sends (4 MiB/s: a 16 MiB value is 32 MiB of UTF-16 and took past 4.6 s under load). */
export const TIMEOUT_MS_PER_MIB = 250;

const encode = (s: string): Buffer => Buffer.from(s, 'utf16le');
const decode = (b: Buffer): string => b.toString('utf16le');

/** The key namespace of one store: the prefix plus a digest of the absolute dir (fixed length, so no two dirs overlap). */
export function namespaceFor(prefix: string, dir: string): string {
  return `${prefix}${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32)}:`;
}

/** host:port of a URL, without credentials, for error messages. */
function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return 'the configured Redis server';
  }
}

function checkTtl(ttl: number | undefined): void {
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new RangeError(`sessionTtlSeconds must be a positive integer, got ${String(ttl)}`);
}

async function connect(options: RedisStoreOptions): Promise<Redis> {
  const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: timeout,
    // No commandTimeout here: command() applies a size-aware deadline of its own.
    // Fail fast while disconnected instead of queueing or replaying: a caller must learn that its
    // write did not happen (or may not have), not have it applied later behind its back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // Keep reconnecting in the background so the store recovers when the server is back.
    retryStrategy: (attempt) => Math.min(50 * attempt, 500),
    ...options.ioredis,
  });
  // Connection errors surface through the rejected operations; without a listener ioredis logs them.
  client.on('error', () => {});
  // connectTimeout covers only the TCP handshake; a frozen server accepts it and never answers the ready check.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeout} ms`)), timeout);
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (e) {
    client.disconnect();
    throw new Error(`reference/redis: cannot connect to ${describeServer(options.url)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
  return client;
}

export async function openRedisStorage(options: RedisStoreOptions, dir: string): Promise<Storage> {
  checkTtl(options.sessionTtlSeconds);
  const client = await connect(options);
  const ns = namespaceFor(options.prefix ?? DEFAULT_PREFIX, dir);
  const lsKey = Buffer.from(`${ns}ls`);
  const sessionPrefix = Buffer.from(`${ns}s:`);
  const sessionKey = (id: string) => Buffer.concat([sessionPrefix, encode(id)]);
  const server = describeServer(options.url);
  const ttl = options.sessionTtlSeconds;

  let lastConnectionError: string | undefined;
  client.on('error', (e: Error) => (lastConnectionError = e.message));
  client.on('ready', () => (lastConnectionError = undefined));

  const baseTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;

  /**
   * Run a command with a deadline; turn any failure into an Error that says which operation
   * failed on which server and, for a write that was sent but not answered, that its outcome is
   * unknown. `writeBytes` is the payload of a write (undefined for reads).
   */
  async function command<T>(op: string, run: () => Promise<T>, writeBytes?: number): Promise<T> {
    const sent = client.status === 'ready';
    const write = writeBytes !== undefined;
    const ms = baseTimeout + Math.ceil(((writeBytes ?? 0) / 1048576) * TIMEOUT_MS_PER_MIB);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (e) {
      const reason = sent ? (e instanceof Error ? e.message : String(e)) : `not connected (${client.status}${lastConnectionError ? `, last error: ${lastConnectionError}` : ''})`;
      const outcome = !write ? '' : sent ? '; the write may or may not have been applied' : '; nothing was changed';
      throw new Error(`reference/redis: ${op} failed on ${server}: ${reason}${outcome}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  const waitFor = options.waitForReplicas;
  /** A write, followed by WAIT on the same connection when configured: a WAIT re-sent on another connection could vouch for a write it never saw. */
  async function write(build: (p: ReturnType<Redis['pipeline']>) => unknown): Promise<void> {
    if (waitFor === undefined) {
      const p = client.pipeline();
      build(p);
      const replies = await p.exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) throw failed?.[0] ?? new Error('pipeline aborted');
      return;
    }
    const p = client.pipeline();
    build(p);
    p.wait(waitFor.replicas, waitFor.timeoutMs);
    const replies = await p.exec();
    const failed = replies?.find(([err]) => err);
    if (!replies || failed) throw failed?.[0] ?? new Error('pipeline aborted');
    const acked = Number(replies[replies.length - 1]![1]);
    if (acked < waitFor.replicas) throw new Error(`WAIT: ${acked} of ${waitFor.replicas} replicas confirmed within ${waitFor.timeoutMs} ms; the write is on the primary and may or may not survive a failover`);
  }

  async function setSessionField(key: Buffer, field: Buffer, value: Buffer): Promise<void> {
    if (ttl === undefined) return write((p) => p.hset(key, field, value));
    if (waitFor === undefined) {
      const replies = await client.multi().hset(key, field, value).expire(key, ttl).exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) throw failed?.[0] ?? new Error('transaction aborted');
      return;
    }
    return write((p) => p.call('MULTI').hset(key, field, value).expire(key, ttl).call('EXEC'));
  }

  // Arguments are converted (and possibly rejected) synchronously, before any command is sent.
  const core: StringStorage = {
    ls: {
      get: (key) => {
        const k = encode(key);
        return command('ls.get', async () => {
          const v = await client.hgetBuffer(lsKey, k);
          return v === null ? null : decode(v);
        });
      },
      set: (key, value) => {
        const k = encode(key);
        const v = encode(value);
        return command('ls.set', () => write((p) => p.hset(lsKey, k, v)), k.length + v.length);
      },
      remove: (key) => {
        const k = encode(key);
        return command('ls.remove', () => write((p) => p.hdel(lsKey, k)), k.length);
      },
      clear: () => command('ls.clear', () => write((p) => p.del(lsKey)), 0),
      keys: () => command('ls.keys', async () => (await client.hkeysBuffer(lsKey)).map(decode)),
    },
    session: {
      get: (id, key) => {
        const s = sessionKey(id);
        const k = encode(key);
        return command('session.get', async () => {
          const v = await client.hgetBuffer(s, k);
          return v === null ? null : decode(v);
        });
      },
      set: (id, key, value) => {
        const s = sessionKey(id);
        const k = encode(key);
        const v = encode(value);
        return command('session.set', () => setSessionField(s, k, v), s.length + k.length + v.length);
      },
      delete: (id, key) => {
        const s = sessionKey(id);
        const k = encode(key);
        return command('session.delete', () => write((p) => p.hdel(s, k)), s.length + k.length);
      },
      clear: (id) => {
        const s = sessionKey(id);
        return command('session.clear', () => write((p) => p.del(s)), s.length);
      },
    },
    // Every acknowledged write is already in the server; QUIT waits for outstanding replies.
    // A frozen or unreachable server must not make close() hang: QUIT gets the same deadline, then the socket is dropped.
    close: async () => {
      try {
        await command('close', () => client.quit());
      } catch {
        // nothing left to lose: every acknowledged write is on the server
      } finally {
        client.disconnect();
      }
    },
  };
  return withConversion(core);
}

export function redisImplementation(options: RedisStoreOptions): Implementation & { capabilities: RedisCapabilities } {
  checkTtl(options.sessionTtlSeconds);
  const capabilities: RedisCapabilities = { persistence: redisPersistence(options.appendfsync), sharing: 'cluster' };
  if (options.sessionTtlSeconds !== undefined) capabilities.ttl = options.sessionTtlSeconds;
  return {
    name: options.appendfsync === 'everysec' ? 'reference/redis-everysec' : 'reference/redis',
    capabilities,
    open: ({ dir }) => openRedisStorage(options, dir),
  };
}

/** Options from the environment: TITAN_REDIS_URL, TITAN_REDIS_PREFIX, TITAN_SESSION_TTL_SECONDS. Throws a clear Error when they are missing or invalid. */
export function redisOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisStoreOptions {
  const url = env.TITAN_REDIS_URL?.trim();
  if (!url) throw new Error('reference/redis: set TITAN_REDIS_URL (e.g. redis://127.0.0.1:6379) to the Redis server to use');
  const ttlText = env.TITAN_SESSION_TTL_SECONDS?.trim();
  const sessionTtlSeconds = ttlText ? Number(ttlText) : undefined;
  if (sessionTtlSeconds !== undefined && !(Number.isInteger(sessionTtlSeconds) && sessionTtlSeconds > 0)) {
    throw new Error(`reference/redis: TITAN_SESSION_TTL_SECONDS must be a positive integer number of seconds, got ${JSON.stringify(ttlText)}`);
  }
  const appendfsync = env.TITAN_REDIS_APPENDFSYNC?.trim() || undefined;
  if (appendfsync !== undefined && appendfsync !== 'always' && appendfsync !== 'everysec') throw new Error(`reference/redis: TITAN_REDIS_APPENDFSYNC must be "always" or "everysec" (the server's setting), got ${JSON.stringify(appendfsync)}`);
  return { url, prefix: env.TITAN_REDIS_PREFIX || undefined, sessionTtlSeconds, ...(appendfsync ? { appendfsync } : {}) };
}

/** The environment's options, or why they are unusable (reported by open, not at import). */
function envOptions(): { options: RedisStoreOptions } | { error: Error } {
  try {
    return { options: redisOptionsFromEnv() };
  } catch (e) {
    return { error: e as Error };
  }
}

const fromEnv = envOptions();

/** The default export reads the environment at import; `open` fails with a clear message when TITAN_REDIS_URL is unset. */
const redis: Implementation = 'options' in fromEnv
  ? redisImplementation(fromEnv.options)
  : {
      name: 'reference/redis',
      capabilities: { persistence: 'durable', sharing: 'cluster' },
      open: () => {
        throw fromEnv.error;
      },
    };

export default redis;
