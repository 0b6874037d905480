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
  'test/mutants/cascades.test.ts': 118,
  'test/mutants/kill-processes.test.ts': 98,
  'test/reference/redis-replicated.test.ts': 71,
  'test/powerloss/check.test.ts': 64,
  'test/conformance/references-backends.test.ts': 52,
  'test/conformance/cli.test.ts': 45,
  'test/package/install.test.ts': 44,
  'test/conformance/references.test.ts': 36,
  'test/mutants/kill.test.ts': 35,
  'test/conformance/concurrency.test.ts': 28,
  'test/reference/hybrid.test.ts': 23,
  'test/driver/clients.test.ts': 22,
  'test/conformance/cli-robustness.test.ts': 19,
  'test/conformance/cli-jobs.test.ts': 14,
  'test/driver/restart-crash.test.ts': 12,
  'test/mutants/two-defects.test.ts': 8,
  'test/conformance/cli-watch.test.ts': 7,
  'test/reference/redis.test.ts': 7,
  'test/conformance/dashboard-browser.test.ts': 7,
  'test/mutants/race-mutants.test.ts': 6,
  'test/driver/misbehaving.test.ts': 6,
  'test/adapters/titanpl-core.test.ts': 5,
  'test/bench/server-measure.test.ts': 4,
  'test/conformance/dashboard.test.ts': 4,
  'test/adapters/titanpl-server.test.ts': 4,
  'test/reference/shared.test.ts': 3,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[relative(this.ctx.config.root, f.moduleId)] ?? 0;
    return base.map((f, i) => ({ f, i })).sort((a, b) => seconds(b.f) - seconds(a.f) || a.i - b.i).map(({ f }) => f);
  }
}
