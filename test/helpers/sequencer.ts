/**
 * Longest test files first. The workers take files from one queue as they free up, so a file of minutes that starts
 * last is the run's tail: vitest orders by the durations of the previous run, and a fresh clone has none (it orders
 * by file size, which puts cascades.test.ts, 30 lines and minutes long, near the end). The table holds seconds of test time
 * from a full run on a fresh clone (`scripts/test-durations.ts` reads them from `npm test`'s output); a file it does not list
 * keeps vitest's order, after the listed ones. Only the order comes from it, never a verdict.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SECONDS: Readonly<Record<string, number>> = {
  'test/mutants/cascades.test.ts': 101,
  'test/reference/redis-replicated.test.ts': 79,
  'test/package/install.test.ts': 69,
  'test/powerloss/check.test.ts': 51,
  'test/conformance/references-backends.test.ts': 50,
  'test/mutants/kill-processes.test.ts': 35,
  'test/conformance/cli.test.ts': 33,
  'test/conformance/references.test.ts': 32,
  'test/mutants/kill.test.ts': 31,
  'test/conformance/concurrency.test.ts': 28,
  'test/driver/restart-crash.test.ts': 17,
  'test/driver/clients.test.ts': 14,
  'test/conformance/cli-robustness.test.ts': 14,
  'test/mutants/two-defects.test.ts': 11,
  'test/reference/redis.test.ts': 9,
  'test/mutants/race-mutants.test.ts': 9,
  'test/driver/misbehaving.test.ts': 8,
  'test/reference/hybrid.test.ts': 8,
  'test/adapters/titanpl-core.test.ts': 7,
  'test/conformance/cli-jobs.test.ts': 7,
  'test/reference/sqlite.test.ts': 6,
  'test/reference/shared.test.ts': 6,
  'test/conformance/dashboard-browser.test.ts': 6,
  'test/bench/server-measure.test.ts': 5,
  'test/powerloss/reader.test.ts': 4,
  'test/conformance/cli-watch.test.ts': 4,
  'test/adapters/titanpl-native.test.ts': 3,
  'test/adapters/titanpl-server.test.ts': 3,
  'test/driver/python-driver.test.ts': 3,
  'test/conformance/dashboard.test.ts': 3,
  'test/mutants/sequential-mutants.test.ts': 3,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[relative(this.ctx.config.root, f.moduleId)] ?? 0;
    return base.map((f, i) => ({ f, i })).sort((a, b) => seconds(b.f) - seconds(a.f) || a.i - b.i).map(({ f }) => f);
  }
}
