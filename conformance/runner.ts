/**
 * Runs checks against an Implementation in this process: builds each check's context (fresh dirs,
 * timeouts, restarts), decides skips from declared capabilities, and turns every outcome into a
 * CheckResult. It never throws for what an implementation does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Implementation, Storage } from '../spec/contract.js';
import { requirement } from '../spec/requirements.js';
import { CheckFailure, CheckSkipped, namedBy, type Check, type FailureDetails, type CheckContext, type RunOptions } from './check.js';
import { Harness, withTimeout } from './harness.js';
import { explain } from './property.js';
import { isDriverImplementation } from './driver/client.js';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult extends FailureDetails {
  id: string;
  requirement: string;
  title: string;
  status: CheckStatus;
  /** Why it was skipped. */
  reason?: string;
  /** What a passing check explored, when it says (e.g. how many crash states). */
  note?: string;
  /** Why it failed (first line of the report). */
  message?: string;
  /** The requirement this check is about, when its failure is reported under another one it ran into. */
  ranIntoFrom?: string;
  durationMs: number;
}

export const DEFAULT_OPTIONS: RunOptions = { runs: 60, seed: 0, timeoutMs: 5000 };

/** A check's wall-clock budget unless RunOptions.budgetMs says otherwise: generation, shrinking and restarts. */
export const DEFAULT_BUDGET_MS = 60_000;

/** Requirements about argument conversion: through a driver, the client converts before sending (spec/PROTOCOL.md). */
const CLIENT_SIDE = new Set(['VAL-COERCE', 'VAL-REJECT', 'VAL-REJECT-ATOMIC']);

/** Why a check cannot run for this implementation (or is excluded by --skip), or null. */
export function skipReason(check: Check, impl: Implementation, modulePath?: string, exclude?: readonly string[]): string | null {
  if (exclude && namedBy(check, exclude)) return `excluded by --skip ${exclude.join(',')}`;
  const applies = requirement(check.requirement).appliesTo?.(impl.capabilities) ?? null;
  if (applies) return `not applicable: ${applies}`;
  if (CLIENT_SIDE.has(check.requirement) && isDriverImplementation(impl)) {
    return 'through a driver process, arguments are converted by the runner-side client before sending, so this would test the client, not the implementation (run the module inline to check it)';
  }
  return check.skip?.(impl.capabilities, { impl, modulePath }) ?? null;
}

/** A storage that can be killed (a process driver) restarts by SIGKILL instead of close(). */
type Killable = Storage & { kill?: () => Promise<void> };

export async function runCheck(impl: Implementation, check: Check, options: RunOptions, modulePath?: string): Promise<CheckResult> {
  const base = { id: check.id, requirement: check.requirement, title: check.title };
  const started = performance.now();
  const reason = skipReason(check, impl, modulePath, options.exclude);
  if (reason) return { ...base, status: 'skipped', reason, durationMs: 0 };

  const root = await mkdtemp(join(tmpdir(), 'titan-storage-'));
  const cleanups: (() => unknown)[] = [];
  const opened: Harness[] = [];
  let shared: unknown;
  let sharedMade = false;
  const open = async (dir: string): Promise<Harness> => {
    if (!sharedMade && typeof impl.createShared === 'function') shared = impl.createShared();
    sharedMade = true;
    const storage = await withTimeout(impl.open(shared === undefined ? { dir } : { dir, shared }), options.timeoutMs, () => `open({ dir: ${JSON.stringify(dir)} })`);
    const h = new Harness(storage, dir, options.timeoutMs);
    opened.push(h);
    return h;
  };
  const ctx: CheckContext = {
    impl,
    options,
    modulePath,
    tmpdir: () => mkdtemp(join(root, 'd-')),
    fresh: async () => open(await mkdtemp(join(root, 'store-'))),
    restart: async (h) => {
      const s = h.storage as Killable;
      if (typeof s.kill === 'function') await withTimeout(s.kill(), options.timeoutMs, () => 'kill()');
      else await h.close();
      return open(h.dir);
    },
    defer: (fn) => void cleanups.push(fn),
    remainingMs: () => Math.max(1, started + (options.budgetMs ?? DEFAULT_BUDGET_MS) - performance.now()),
    opened,
  };
  try {
    const note = await check.run(ctx);
    return { ...base, status: 'passed', ...(note ? { note } : {}), durationMs: performance.now() - started };
  } catch (e) {
    if (e instanceof CheckSkipped) return { ...base, status: 'skipped', reason: e.reason, durationMs: performance.now() - started };
    const f = e instanceof CheckFailure ? e : new CheckFailure(check.requirement, `the check could not complete: ${explain(e)}`);
    return {
      ...base,
      requirement: f.requirement,
      ...(f.requirement !== check.requirement ? { ranIntoFrom: check.requirement } : {}),
      status: 'failed',
      message: f.message,
      ...f.details,
      durationMs: performance.now() - started,
    };
  } finally {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
    await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}
