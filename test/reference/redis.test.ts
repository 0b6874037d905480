/**
 * reference/redis against a private redis-server (see test/helpers/redis-server.ts). Without
 * redis-server on PATH the suite is skipped, with the reason in its name, unless CI or
 * TITAN_REQUIRE_REDIS=1 demands it, in which case it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implementationProblem } from '../../spec/contract.js';
import { namespaceFor, redisImplementation, redisOptionsFromEnv, type RedisStoreOptions } from '../../reference/redis.js';
import type { Storage } from '../../spec/contract.js';
import { redisTestGate, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { durableSharedStoreTests, freshDir } from '../helpers/store-suite.js';

const gate = redisTestGate();
const COMMAND_TIMEOUT_MS = 500;

/** Retry `f` until it succeeds (the client reconnects in the background), at most `ms`. */
async function eventually<T>(f: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

it('TITAN_REDIS_URL: the environment options fail clearly when the URL is unset', () => {
  expect(() => redisOptionsFromEnv({})).toThrow(/set TITAN_REDIS_URL/);
  expect(() => redisOptionsFromEnv({ TITAN_REDIS_URL: 'redis://h:1', TITAN_SESSION_TTL_SECONDS: '1.5' })).toThrow(/TITAN_SESSION_TTL_SECONDS must be a positive integer/);
  expect(redisOptionsFromEnv({ TITAN_REDIS_URL: 'redis://h:1', TITAN_REDIS_PREFIX: 'p:', TITAN_SESSION_TTL_SECONDS: '60' })).toEqual({ url: 'redis://h:1', prefix: 'p:', sessionTtlSeconds: 60 });
});

it('namespaces: a fixed-length digest of the absolute dir, so different dirs never share keys', () => {
  expect(namespaceFor('titan:', '/a/b')).toBe(namespaceFor('titan:', '/a/b/../b'));
  expect(namespaceFor('titan:', '/a/b')).not.toBe(namespaceFor('titan:', '/a/c'));
  expect(namespaceFor('t:', '/x')).toMatch(/^t:[0-9a-f]{32}:$/);
});

if (gate.failReason) {
  it('redis-server is required', () => {
    throw new Error(gate.failReason!);
  });
}

describe.skipIf(gate.skipReason !== null)(`reference/redis${gate.skipReason ? ` (skipped: ${gate.skipReason})` : ''}`, () => {
  let server: RedisServer;
  let options: RedisStoreOptions;
  const open = (dir: string, extra: Partial<RedisStoreOptions> = {}) => redisImplementation({ ...options, ...extra }).open({ dir }) as Promise<Storage>;

  beforeAll(async () => {
    server = await startRedis();
    // The store suite judges results, not speed: a 16 MiB write on a loaded machine outlasts the default command timeout.
    // The timeout tests below set their own.
    options = { url: server.url, commandTimeoutMs: 60_000 };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is a valid Implementation: durable, shared across processes; ttl only when configured', () => {
    const impl = redisImplementation(options);
    expect(implementationProblem(impl)).toBeNull();
    expect(impl.capabilities).toEqual({ persistence: 'durable', sharing: 'cluster' });
    expect(redisImplementation({ ...options, sessionTtlSeconds: 30 }).capabilities).toEqual({ persistence: 'durable', sharing: 'cluster', ttl: 30 });
    expect(() => redisImplementation({ ...options, sessionTtlSeconds: 0 })).toThrow(RangeError);
  });

  durableSharedStoreTests('redis', { open: (dir) => open(dir), numRuns: 30 });

  it('a session id is the whole rest of its key: ids like "ls", ":" or "" never collide with local storage or each other', async () => {
    const s = await open(freshDir('redis'));
    try {
      await s.ls.set('k', 'ls');
      for (const id of ['ls', '', ':', 's:', 'ls:k']) await s.session.set(id, 'k', `session ${id}`);
      expect(await s.ls.keys()).toEqual(['k']);
      expect(await s.ls.get('k')).toBe('ls');
      await s.session.clear('');
      expect(await s.session.get('', 'k')).toBeNull();
      for (const id of ['ls', ':', 's:', 'ls:k']) expect(await s.session.get(id, 'k')).toBe(`session ${id}`);
    } finally {
      await s.close?.();
    }
  });

  it('opening when the server is unreachable rejects with a clear error', async () => {
    const closed = redisImplementation({ url: 'redis://127.0.0.1:1', commandTimeoutMs: COMMAND_TIMEOUT_MS });
    await expect(async () => closed.open({ dir: freshDir('redis') })).rejects.toThrow(/reference\/redis: cannot connect to redis:\/\/127\.0\.0\.1:1/);
  });

  it('server crash: operations reject with a clear error (no hang, no false success); after restart they succeed and acknowledged data is intact', async () => {
    const s = await open(freshDir('redis'));
    try {
      await s.ls.set('acked', 'v\uD800');
      await s.session.set('sid', 'k', 'sv');
      await server.halt({ crash: true }); // SIGKILL: only what the append-only file holds survives
      await expect(async () => s.ls.set('lost', 'x')).rejects.toThrow(/reference\/redis: ls\.set failed on redis:\/\/127\.0\.0\.1:\d+: .+/);
      await expect(async () => s.ls.get('acked')).rejects.toThrow(/reference\/redis: ls\.get failed/);
      await expect(async () => s.session.get('sid', 'k')).rejects.toThrow(/reference\/redis: session\.get failed/);
      await server.start();
      expect(await eventually(async () => s.ls.get('acked'))).toBe('v\uD800');
      expect(await s.session.get('sid', 'k')).toBe('sv');
      expect(await s.ls.keys()).toEqual(['acked']); // the rejected write was not applied later
      await s.ls.set('after', 'restart');
      expect(await s.ls.get('after')).toBe('restart');
    } finally {
      await s.close?.();
    }
  });

  it('unresponsive server (SIGSTOP): a write rejects after the command timeout saying its outcome is unknown; the store recovers on resume', async () => {
    const s = await open(freshDir('redis'), { commandTimeoutMs: COMMAND_TIMEOUT_MS });
    const other = await open(freshDir('redis'), { commandTimeoutMs: COMMAND_TIMEOUT_MS });
    try {
      await s.ls.set('k', 'before');
      server.pause();
      try {
        await expect(async () => s.ls.set('k', 'during')).rejects.toThrow(/ls\.set failed .*no reply within \d+ ms.*may or may not have been applied/);
        await other.close?.(); // resolves (QUIT has the same deadline) instead of waiting for the frozen server
        await expect(async () => open(freshDir('redis'), { commandTimeoutMs: COMMAND_TIMEOUT_MS })).rejects.toThrow(/cannot connect .*not ready within/);
      } finally {
        server.resume();
      }
      expect(['before', 'during']).toContain(await eventually(async () => s.ls.get('k')));
      await s.ls.set('k', 'after');
      expect(await s.ls.get('k')).toBe('after');
    } finally {
      await s.close?.();
    }
  });

  it('session TTL: EXPIRE on each session.set makes an idle session disappear (local storage stays)', async () => {
    const s = await open(freshDir('redis'), { sessionTtlSeconds: 1 });
    try {
      await s.ls.set('k', 'v');
      await s.session.set('sid', 'k', 'v');
      expect(await s.session.get('sid', 'k')).toBe('v');
      const deadline = Date.now() + 10_000;
      while ((await s.session.get('sid', 'k')) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await s.session.get('sid', 'k')).toBeNull();
      expect(await s.ls.get('k')).toBe('v');
    } finally {
      await s.close?.();
    }
  });
});
