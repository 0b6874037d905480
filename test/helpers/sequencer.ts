/**
 * Longest test files first. The workers take files from one queue as they free up, so a file of minutes that starts
 * last is the run's tail: vitest orders by the durations of the previous run, and a fresh clone has none (it orders
 * by file size, which puts kill.test.ts, 40 lines and minutes long, near the end). The table holds seconds of test time
 * from a full run (`npx vitest run --coverage --reporter=json`); a file it does not list keeps vitest's order, after
 * the listed ones. Only the order comes from it, never a verdict.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SECONDS: Readonly<Record<string, number>> = {
  'test/reference/redis-replicated.test.ts': 150,
  'test/mutants/cascades.test.ts': 130,
  'test/powerloss/check.test.ts': 115,
  'test/mutants/kill-processes.test.ts': 100,
  'test/mutants/kill.test.ts': 60,
  'test/conformance/references-backends.test.ts': 58,
  'test/conformance/cli.test.ts': 52,
  'test/conformance/references.test.ts': 48,
  'test/package/install.test.ts': 39,
  'test/conformance/cli-robustness.test.ts': 30,
  'test/conformance/concurrency.test.ts': 21,
  'test/mutants/two-defects.test.ts': 16,
  'test/driver/restart-crash.test.ts': 15,
  'test/reference/hybrid.test.ts': 13,
  'test/adapters/titanpl-core.test.ts': 13,
  'test/reference/redis.test.ts': 13,
  'test/mutants/race-mutants.test.ts': 12,
  'test/driver/clients.test.ts': 12,
  'test/conformance/dashboard-browser.test.ts': 10,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[relative(this.ctx.config.root, f.moduleId)] ?? 0;
    return base.map((f, i) => ({ f, i })).sort((a, b) => seconds(b.f) - seconds(a.f) || a.i - b.i).map(({ f }) => f);
  }
}
