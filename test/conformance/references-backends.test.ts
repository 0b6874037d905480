// The conformance suite against the reference stores on other back-ends (SQLite, a private redis-server), through the CLI gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMS_TIMEOUT as TIMEOUT, expectConforms, powerLossCheck, recorderRuns, SEED, SKIP_MANY_WRITES } from '../helpers/conforms.js';
import { redisTestGate, startRedis, type RedisServer } from '../helpers/redis-server.js';

describe(`reference/sqlite.ts passes the whole suite (seed ${SEED})`, () => {
  it('reference/sqlite.ts (WAL, synchronous=FULL, so fewer runs), power loss included', async () => {
    const report = await expectConforms(['reference/sqlite.ts', '--runs', '8', ...SKIP_MANY_WRITES]);
    if (recorderRuns) expect(powerLossCheck(report)).toMatchObject({ status: 'passed', note: expect.stringMatching(/distinct crash states tried \(budget 8\)/) });
  }, TIMEOUT);
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
  it.skipIf(gate.skipReason !== null)(`passes the whole suite, its power loss reported as not observable (its data lives in the server)${gate.skipReason ? ` (skipped: ${gate.skipReason})` : ''}`, async () => {
    if (gate.failReason) throw new Error(gate.failReason);
    process.env.TITAN_REDIS_URL = redis!.url;
    try {
      // A 16 MiB write (32 MiB of UTF-16) gets the store's own size-aware deadline, not the default 5 s per operation.
      const report = await expectConforms(['reference/redis.ts', '--runs', '10', '--timeout', '15000', ...SKIP_MANY_WRITES]);
      // Its data lives in the server: power loss of the store's directory says nothing, and the report says so.
      if (recorderRuns) expect(powerLossCheck(report)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^not observable: .* it connected to 127\.0\.0\.1:\d+\. Its data lives elsewhere/) });
    } finally {
      delete process.env.TITAN_REDIS_URL;
    }
  }, TIMEOUT);
});
