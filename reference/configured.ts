/**
 * The single configuration entry point the change note proposed: pick a store by a config object
 * or by environment variables, instead of hard-wiring one.
 *
 *   TITAN_STORE=memory|shared|file|sqlite|redis   (default memory)
 *   TITAN_REDIS_URL=redis://host:6379             (required for redis)
 *   TITAN_REDIS_PREFIX=titan:                     (optional)
 *   TITAN_SESSION_TTL_SECONDS=3600                (optional, redis only)
 *
 * Every store module is imported lazily, so choosing `memory` loads neither better-sqlite3 nor
 * ioredis, and this module works whether or not `reference/shared.ts` exists yet.
 */
import { implementationProblem, type Implementation, type OpenOptions, type Storage } from '../spec/contract.js';

export const STORE_NAMES = ['memory', 'shared', 'file', 'sqlite', 'redis'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

export interface RedisConfig {
  store: 'redis';
  url: string;
  prefix?: string;
  sessionTtlSeconds?: number;
  commandTimeoutMs?: number;
}

export type StoreConfig = { store: 'memory' } | { store: 'shared' } | { store: 'file' } | { store: 'sqlite' } | RedisConfig;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function checkStoreName(name: unknown, source: string): StoreName {
  if (typeof name === 'string' && (STORE_NAMES as readonly string[]).includes(name)) return name as StoreName;
  throw new ConfigError(`unknown store ${JSON.stringify(name)} in ${source}; expected one of: ${STORE_NAMES.join(', ')}`);
}

/** Validate a config object (e.g. parsed from a JSON file); returns it typed, or throws a ConfigError saying what is wrong. */
export function parseConfig(x: unknown): StoreConfig {
  if (x === null || typeof x !== 'object') throw new ConfigError(`a store config must be an object like { "store": "memory" }, got ${x === null ? 'null' : typeof x}`);
  const c = x as Record<string, unknown>;
  const store = checkStoreName(c.store, 'config.store');
  if (store !== 'redis') return { store };
  if (typeof c.url !== 'string' || c.url === '') throw new ConfigError('store "redis" needs a url, e.g. { "store": "redis", "url": "redis://127.0.0.1:6379" }');
  if (c.prefix !== undefined && typeof c.prefix !== 'string') throw new ConfigError('redis prefix must be a string');
  const ttl = c.sessionTtlSeconds;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0)) throw new ConfigError(`redis sessionTtlSeconds must be a positive integer, got ${String(ttl)}`);
  const timeout = c.commandTimeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw new ConfigError(`redis commandTimeoutMs must be a positive number, got ${String(timeout)}`);
  return {
    store,
    url: c.url,
    ...(c.prefix !== undefined && { prefix: c.prefix as string }),
    ...(ttl !== undefined && { sessionTtlSeconds: ttl as number }),
    ...(timeout !== undefined && { commandTimeoutMs: timeout as number }),
  };
}

/** The config described by environment variables (see the module comment). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const store = checkStoreName(env.TITAN_STORE?.trim() || 'memory', 'TITAN_STORE');
  if (store !== 'redis') return { store };
  const url = env.TITAN_REDIS_URL?.trim();
  if (!url) throw new ConfigError('TITAN_STORE=redis needs TITAN_REDIS_URL, e.g. TITAN_REDIS_URL=redis://127.0.0.1:6379');
  const ttlText = env.TITAN_SESSION_TTL_SECONDS?.trim();
  const sessionTtlSeconds = ttlText ? Number(ttlText) : undefined;
  if (sessionTtlSeconds !== undefined && !(Number.isInteger(sessionTtlSeconds) && sessionTtlSeconds > 0)) {
    throw new ConfigError(`TITAN_SESSION_TTL_SECONDS must be a positive integer number of seconds, got ${JSON.stringify(ttlText)}`);
  }
  return parseConfig({ store, url, prefix: env.TITAN_REDIS_PREFIX || undefined, sessionTtlSeconds });
}

// A variable specifier keeps the type checker from requiring reference/shared.ts to exist yet.
const SHARED_MODULE = './shared.js';

async function loadSharedImplementation(): Promise<Implementation> {
  let mod: { default?: unknown };
  try {
    mod = (await import(SHARED_MODULE)) as { default?: unknown };
  } catch (e) {
    throw new ConfigError(`store "shared" needs reference/shared.ts, which could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = implementationProblem(mod.default);
  if (problem) throw new ConfigError(`reference/shared.ts is not a usable store: ${problem}`);
  return mod.default as Implementation;
}

/** The implementation a config selects. */
export async function implementationFor(config: StoreConfig): Promise<Implementation> {
  const c = parseConfig(config);
  switch (c.store) {
    case 'memory':
      return (await import('./memory.js')).default;
    case 'file':
      return (await import('./file.js')).default;
    case 'sqlite':
      return (await import('./sqlite.js')).default;
    case 'shared':
      return loadSharedImplementation();
    case 'redis': {
      const { redisImplementation } = await import('./redis.js');
      const { store: _store, ...options } = c;
      return redisImplementation(options);
    }
  }
}

/** createShared() runs once per implementation per process, so every openConfigured in this process shares it. */
const sharedByImplementation = new WeakMap<Implementation, unknown>();

/** Open the configured store on `options.dir` (calling createShared() once per process when the store defines it). */
export async function openConfigured(config: StoreConfig, options: OpenOptions): Promise<Storage> {
  const impl = await implementationFor(config);
  let shared = options.shared;
  if (shared === undefined && impl.createShared) {
    if (!sharedByImplementation.has(impl)) sharedByImplementation.set(impl, impl.createShared());
    shared = sharedByImplementation.get(impl);
  }
  return impl.open({ ...options, shared });
}

/** The implementation chosen by the environment (default: memory). A bad environment fails the import with a ConfigError. */
const configured: Implementation = await implementationFor(configFromEnv());
export default configured;
