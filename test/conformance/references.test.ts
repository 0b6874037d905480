// The conformance suite against the reference stores, through the CLI gate exactly as an implementer runs it.
// Reports land in reports/junit/ so CI can publish them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJsonAsync, failedIds } from '../helpers/cli.js';
import { redisTestGate, startRedis, type RedisServer } from '../helpers/redis-server.js';

/** A whole-suite run through the CLI: minutes on a loaded 2-core machine, never a hang (the CLI has its own timeouts). */
const TIMEOUT = 600_000;

const SEED = process.env.TITAN_STORAGE_SEED ?? String((Math.random() * 2 ** 31) | 0);

/** Check a store; on failure the message carries the CLI's whole human report (requirement, counterexample, replay). */
async function expectConforms(args: string[]): Promise<void> {
  const r = await cliJsonAsync(['check', ...args, '--seed', SEED], 600_000);
  expect(failedIds(r.report), r.stdout).toEqual([]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const notRun = r.report.requirements.filter((q) => q.status === 'not-run');
  expect(notRun.map((q) => q.id)).toEqual([]);
}

// npm start (scripts/main.ts, also run in CI) checks reference/memory, shared, file and the Python driver with the whole
// suite; here are the other stores and ways to run one. A store that rewrites, fsyncs or makes a round trip per write
// spends most of a run on 10 000+ sets (reference/redis.test.ts and npm start's stores run them), and power loss has its
// own tests (test/powerloss/check.test.ts) for the same stores: those skip them here, visibly, to keep npm test within
// minutes.
const MANY = ['--skip', 'LS-MANY-ENTRIES,API-TIMELY/many-entries,CRASH-POWERLOSS'];

describe.concurrent(`reference stores pass the whole suite (seed ${SEED})`, () => {
  it('reference/memory.ts through a real process (--isolation process)', () => expectConforms(['reference/memory.ts', '--isolation', 'process', '--runs', '6']), TIMEOUT);
  it('the Python driver in durable mode', () => expectConforms(['--driver', 'python3 examples/python-driver/driver.py --durable', '--runs', '5', '--crash-kills', '6', '--timeout', '15000', ...MANY]), TIMEOUT);
  it('the README\'s example module (examples/readme-store.ts)', () => expectConforms(['examples/readme-store.ts', '--runs', '10']), TIMEOUT);
  it('reference/sqlite.ts (WAL, synchronous=FULL, so fewer runs)', () => expectConforms(['reference/sqlite.ts', '--runs', '8', ...MANY]), TIMEOUT);
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
      await expectConforms(['reference/redis.ts', '--runs', '10', '--skip', 'LS-MANY-ENTRIES,API-TIMELY/many-entries']);
    } finally {
      delete process.env.TITAN_REDIS_URL;
    }
  }, TIMEOUT);
});
