// The conformance suite against the reference stores on other back-ends (SQLite, a private redis-server), through the CLI gate.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CONFORMS_TIMEOUT as TIMEOUT, expectConforms, SEED, SKIP_HEAVY } from '../helpers/conforms.js';
import { redisTestGate, startRedis, type RedisServer } from '../helpers/redis-server.js';

describe(`reference/sqlite.ts passes the whole suite (seed ${SEED})`, () => {
  it('reference/sqlite.ts (WAL, synchronous=FULL, so fewer runs)', () => expectConforms(['reference/sqlite.ts', '--runs', '8', ...SKIP_HEAVY]), TIMEOUT);
});

describe('reference/redis.ts against a private redis-server', () => {
  const gate = redisTestGate();
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (gate.skipReason === null && gate.failReason === null) redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  it.skipIf(gate.skipReason !== null)(`passes the whole suite${gate.skipReason ? ` (skipped: ${gate.skipReason})` : ''}`, async () => {
    if (gate.failReason) throw new Error(gate.failReason);
    process.env.TITAN_REDIS_URL = redis!.url;
    try {
      // A 16 MiB write (32 MiB of UTF-16) gets the store's own size-aware deadline, not the default 5 s per operation.
      await expectConforms(['reference/redis.ts', '--runs', '10', '--timeout', '15000', '--skip', 'LS-MANY-ENTRIES,API-TIMELY/many-entries']);
    } finally {
      delete process.env.TITAN_REDIS_URL;
    }
  }, TIMEOUT);
});
