/**
 * Longest test files first. The workers take files from one queue as they free up, so a file of minutes that starts
 * last is the run's tail: vitest orders by the durations of the previous run, and a fresh clone has none (it orders
 * by file size, which puts cascades.test.ts, 30 lines and minutes long, near the end). The table holds seconds of test time
 * from a full run under load (`scripts/test-durations.ts` reads them from `npm test`'s output); a file it does not list
 * keeps vitest's order, after the listed ones. Only the order comes from it, never a verdict.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SECONDS: Readonly<Record<string, number>> = {
  'test/mutants/cascades.test.ts': 280,
  'test/conformance/references.test.ts': 192,
  'test/conformance/references-backends.test.ts': 181,
  'test/mutants/kill-processes.test.ts': 175,
  'test/conformance/cli.test.ts': 146,
  'test/package/install.test.ts': 133,
  'test/powerloss/check.test.ts': 116,
  'test/reference/hybrid.test.ts': 89,
  'test/conformance/concurrency.test.ts': 84,
  'test/reference/redis-replicated.test.ts': 82,
  'test/conformance/cli-robustness.test.ts': 69,
  'test/driver/clients.test.ts': 57,
  'test/driver/restart-crash.test.ts': 56,
  'test/mutants/two-defects.test.ts': 54,
  'test/mutants/kill.test.ts': 53,
  'test/mutants/race-mutants.test.ts': 51,
  'test/conformance/dashboard-browser.test.ts': 30,
  'test/conformance/cli-watch.test.ts': 27,
  'test/conformance/dashboard.test.ts': 26,
  'test/reference/redis.test.ts': 26,
  'test/reference/sqlite.test.ts': 25,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[relative(this.ctx.config.root, f.moduleId)] ?? 0;
    return base.map((f, i) => ({ f, i })).sort((a, b) => seconds(b.f) - seconds(a.f) || a.i - b.i).map(({ f }) => f);
  }
}
