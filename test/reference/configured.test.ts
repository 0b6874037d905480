import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { implementationProblem } from '../../spec/contract.js';
import { ConfigError, configFromEnv, implementationFor, openConfigured, parseConfig, STORE_NAMES } from '../../reference/configured.js';
import { freshDir } from '../helpers/store-suite.js';

const sharedExists = existsSync(fileURLToPath(new URL('../../reference/shared.ts', import.meta.url)));

describe('configFromEnv', () => {
  it('defaults to memory and accepts every store name', () => {
    expect(configFromEnv({})).toEqual({ store: 'memory' });
    expect(configFromEnv({ TITAN_STORE: '' })).toEqual({ store: 'memory' });
    for (const store of ['memory', 'shared', 'file', 'sqlite'] as const) expect(configFromEnv({ TITAN_STORE: store })).toEqual({ store });
  });

  it('redis takes TITAN_REDIS_URL, TITAN_REDIS_PREFIX and TITAN_SESSION_TTL_SECONDS', () => {
    expect(configFromEnv({ TITAN_STORE: 'redis', TITAN_REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ store: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(configFromEnv({ TITAN_STORE: 'redis', TITAN_REDIS_URL: 'redis://h:1', TITAN_REDIS_PREFIX: 'app:', TITAN_SESSION_TTL_SECONDS: '3600' })).toEqual({
      store: 'redis',
      url: 'redis://h:1',
      prefix: 'app:',
      sessionTtlSeconds: 3600,
    });
  });

  it('rejects unknown store names, a missing Redis URL and a bad TTL with clear ConfigErrors', () => {
    expect(() => configFromEnv({ TITAN_STORE: 'postgres' })).toThrow(ConfigError);
    expect(() => configFromEnv({ TITAN_STORE: 'postgres' })).toThrow(`unknown store "postgres" in TITAN_STORE; expected one of: ${STORE_NAMES.join(', ')}`);
    expect(() => configFromEnv({ TITAN_STORE: 'Memory' })).toThrow(/unknown store "Memory"/);
    expect(() => configFromEnv({ TITAN_STORE: 'redis' })).toThrow(/TITAN_STORE=redis needs TITAN_REDIS_URL/);
    expect(() => configFromEnv({ TITAN_STORE: 'redis', TITAN_REDIS_URL: 'redis://h:1', TITAN_SESSION_TTL_SECONDS: 'soon' })).toThrow(/TITAN_SESSION_TTL_SECONDS must be a positive integer/);
  });
});

describe('parseConfig', () => {
  it('validates config objects', () => {
    expect(parseConfig({ store: 'sqlite' })).toEqual({ store: 'sqlite' });
    expect(parseConfig({ store: 'redis', url: 'redis://h:1', sessionTtlSeconds: 5 })).toEqual({ store: 'redis', url: 'redis://h:1', sessionTtlSeconds: 5 });
    expect(() => parseConfig(null)).toThrow(/must be an object/);
    expect(() => parseConfig({})).toThrow(/unknown store undefined in config\.store/);
    expect(() => parseConfig({ store: 'redis' })).toThrow(/store "redis" needs a url/);
    expect(() => parseConfig({ store: 'redis', url: 'redis://h:1', sessionTtlSeconds: -1 })).toThrow(/sessionTtlSeconds must be a positive integer/);
    expect(() => parseConfig({ store: 'redis', url: 'redis://h:1', prefix: 3 })).toThrow(/prefix must be a string/);
  });
});

describe('implementationFor', () => {
  it('selects memory, file and sqlite', async () => {
    expect((await implementationFor({ store: 'memory' })).name).toBe('reference/memory');
    expect((await implementationFor({ store: 'file' })).name).toBe('reference/file');
    const sqlite = await implementationFor({ store: 'sqlite' });
    expect(sqlite.name).toBe('reference/sqlite');
    expect(sqlite.capabilities).toEqual({ persistence: 'durable', sharing: 'cluster' });
  });

  it('builds a Redis implementation from the config (without connecting) and reports its ttl', async () => {
    const impl = await implementationFor({ store: 'redis', url: 'redis://127.0.0.1:1', sessionTtlSeconds: 60 });
    expect(implementationProblem(impl)).toBeNull();
    expect(impl.capabilities).toEqual({ persistence: 'durable', sharing: 'cluster', ttl: 60 });
  });

  it(`shared: ${sharedExists ? 'loads reference/shared.ts lazily as a valid implementation' : 'reference/shared.ts is absent, so it fails with a clear ConfigError'}`, async () => {
    if (sharedExists) {
      expect(implementationProblem(await implementationFor({ store: 'shared' }))).toBeNull();
    } else {
      await expect(implementationFor({ store: 'shared' })).rejects.toThrow(/store "shared" needs reference\/shared\.ts, which could not be loaded/);
    }
  });

  it('rejects a config that is not one of the stores', async () => {
    await expect(implementationFor({ store: 'nope' } as never)).rejects.toThrow(ConfigError);
  });
});

describe('openConfigured', () => {
  it('opens a durable sqlite store: data survives close and reopen on the same dir', async () => {
    const dir = freshDir('configured');
    const a = await openConfigured({ store: 'sqlite' }, { dir });
    await a.ls.set('k', '\uD800v');
    await a.session.set('s:1', '', 'x');
    await a.close?.();
    const b = await openConfigured({ store: 'sqlite' }, { dir });
    try {
      expect(await b.ls.get('k')).toBe('\uD800v');
      expect(await b.session.get('s:1', '')).toBe('x');
    } finally {
      await b.close?.();
    }
  });

  it('opens a volatile memory store', async () => {
    const s = await openConfigured({ store: 'memory' }, { dir: freshDir('configured') });
    await s.ls.set('k', 'v');
    expect(await s.ls.keys()).toEqual(['k']);
  });
});

describe('default export (chosen by the environment at import)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is memory when TITAN_STORE is unset', async () => {
    vi.stubEnv('TITAN_STORE', '');
    vi.resetModules();
    expect((await import('../../reference/configured.js')).default.name).toBe('reference/memory');
  });

  it('follows TITAN_STORE', async () => {
    vi.stubEnv('TITAN_STORE', 'sqlite');
    vi.resetModules();
    expect((await import('../../reference/configured.js')).default.name).toBe('reference/sqlite');
  });

  it('fails the import with the reason when TITAN_STORE is unknown', async () => {
    vi.stubEnv('TITAN_STORE', 'mongo');
    vi.resetModules();
    await expect(import('../../reference/configured.js')).rejects.toThrow(/unknown store "mongo" in TITAN_STORE/);
  });
});
