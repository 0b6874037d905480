/**
 * A minimal CheckContext for running process checks in tests before the runner wires them in:
 * fresh() opens on a new tmp dir behind the Harness, defer()red cleanups run after the check.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Implementation } from '../../spec/contract.js';
import type { Check, CheckContext, RunOptions } from '../../conformance/check.js';
import { Harness } from '../../conformance/harness.js';
import { DEFAULT_BUDGET_MS, skipReason } from '../../conformance/runner.js';

export interface TestContext extends CheckContext {
  cleanup(): Promise<void>;
}

export function testContext(impl: Implementation, opts: Partial<RunOptions> & { modulePath?: string; crashKills?: number } = {}): TestContext {
  const deferred: (() => unknown)[] = [];
  const dirs: string[] = [];
  const options = { runs: 5, seed: 42, timeoutMs: 10_000, ...opts };
  const started = performance.now();
  const ctx: TestContext = {
    remainingMs: () => Math.max(1, started + (options.budgetMs ?? DEFAULT_BUDGET_MS) - performance.now()),
    impl,
    options,
    modulePath: opts.modulePath,
    async tmpdir() {
      const d = await mkdtemp(join(tmpdir(), 'titan-driver-test-'));
      dirs.push(d);
      return d;
    },
    async fresh() {
      const dir = await ctx.tmpdir();
      const storage = await impl.open({ dir });
      deferred.push(() => storage.close?.());
      return new Harness(storage, dir, options.timeoutMs);
    },
    async restart(h) {
      await h.close();
      return new Harness(await impl.open({ dir: h.dir }), h.dir, options.timeoutMs);
    },
    defer(fn) {
      deferred.push(fn);
    },
    async cleanup() {
      for (const fn of deferred.splice(0).reverse()) {
        try {
          await fn();
        } catch {
          /* a store that already died */
        }
      }
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
  return ctx;
}

/** Run a check (unless the runner's one applicability rule skips it) and always clean up; resolves to the skip reason, or null when it ran and passed. */
export async function runCheck(check: Check, ctx: TestContext): Promise<string | null> {
  try {
    const reason = skipReason(check, ctx.impl, ctx.modulePath);
    if (reason) return reason;
    await check.run(ctx);
    return null;
  } finally {
    await ctx.cleanup();
  }
}
