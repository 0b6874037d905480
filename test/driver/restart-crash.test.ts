/**
 * The process checks against stores whose verdict is known: real SIGKILL restarts and crash
 * consistency, through hosted modules (conformance/host/) and a Python driver.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { CheckFailure } from '../../conformance/check.js';
import { driverImplementation } from '../../conformance/driver/client.js';
import { checks as crashChecks } from '../../conformance/properties/crash.js';
import { checks as restartChecks } from '../../conformance/properties/restart-process.js';
import type { Implementation } from '../../spec/contract.js';
import { runCheck, testContext } from './context.js';

// Every restart starts a process (node + tsx: 0.5–1 s, more on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const check = (id: string): Check => [...restartChecks, ...crashChecks].find((c) => c.requirement === id)!;
const load = async (module: string) => ((await import(root(module))) as { default: Implementation }).default;

/** Run one check on a hosted module; resolves to "pass", "skip: …", or the CheckFailure. */
async function verdict(requirement: string, module: string, opts: { runs?: number; crashKills?: number } = {}): Promise<string | CheckFailure> {
  const ctx = testContext(await load(module), { modulePath: root(module), runs: opts.runs ?? 3, crashKills: opts.crashKills, timeoutMs: 15_000 });
  try {
    const skipped = await runCheck(check(requirement), ctx);
    return skipped ? `skip: ${skipped}` : 'pass';
  } catch (e) {
    if (e instanceof CheckFailure) return e;
    throw e;
  }
}

describe('RESTART-KILL-* through hosted modules', () => {
  it('reference/memory is empty after SIGKILL and restart; the durable check does not apply to it', async () => {
    expect(await verdict('RESTART-KILL-VOLATILE', 'reference/memory.ts')).toBe('pass');
    expect(await verdict('RESTART-KILL-DURABLE', 'reference/memory.ts')).toMatch(/^skip: not applicable: declared persistence is "volatile"/);
  });

  it('reference/file keeps the state after SIGKILL and restart', async () => {
    expect(await verdict('RESTART-KILL-DURABLE', 'reference/file.ts')).toBe('pass');
  });

  it('catches a "volatile" store that secretly persists', async () => {
    const f = await verdict('RESTART-KILL-VOLATILE', 'mutants/volatile-persists.ts');
    expect(f).toBeInstanceOf(CheckFailure);
    expect((f as CheckFailure).requirement).toBe('RESTART-KILL-VOLATILE');
    expect((f as CheckFailure).message).toMatch(/after SIGKILL and restart 1: ls\.keys\(\) returned \[.+\], the model says \[\]/);
    expect((f as CheckFailure).details.counterexample).toContain('SIGKILL, fresh process');
  });

  it('catches a "durable" store that only persists on close()', async () => {
    const f = await verdict('RESTART-KILL-DURABLE', 'mutants/durable-loses-on-kill.ts');
    expect(f).toBeInstanceOf(CheckFailure);
    expect((f as CheckFailure).requirement).toBe('RESTART-KILL-DURABLE');
    expect((f as CheckFailure).message).toMatch(/after SIGKILL and restart 1/);
  });

  it('skips with a reason when there is neither a driver nor a module file', async () => {
    const ctx = testContext(await load('reference/memory.ts'));
    expect(await runCheck(check('RESTART-KILL-VOLATILE'), ctx)).toMatch(/needs a store in its own process/);
  });
});

describe('CRASH-CONSISTENT', () => {
  it('reference/file (temp file, fsync, rename) survives every kill', async () => {
    expect(await verdict('CRASH-CONSISTENT', 'reference/file.ts', { crashKills: 4 })).toBe('pass');
  });

  // Odd kills wait for a file to shrink, so truncate-then-write is caught at kill 1 on most seeds
  // (by kill 9 on every seed tried); 40 leaves room on a loaded machine. The check stops at the first loss.
  it('catches the faithful truncate-then-write baseline with a report of what was lost', async () => {
    const f = await verdict('CRASH-CONSISTENT', 'reference/file-faithful.ts', { crashKills: 40 });
    expect(f).toBeInstanceOf(CheckFailure);
    const failure = f as CheckFailure;
    expect(failure.requirement).toBe('CRASH-CONSISTENT');
    expect(failure.message).toMatch(/^SIGKILL \d+ of 40: after the kill the store (could not be opened .*JSON.*: every acknowledged write is lost|lost acknowledged data)/);
    expect(failure.details.counterexample).toMatch(/acknowledged writes since the last restart:/);
    expect(failure.details.counterexample).toMatch(/in flight at the kill:/);
    expect(failure.details.seed).toBe(42);
  });

  it('catches a "durable" store that only persists on close() at the first kill', async () => {
    const f = await verdict('CRASH-CONSISTENT', 'mutants/durable-loses-on-kill.ts', { crashKills: 3 });
    expect(f).toBeInstanceOf(CheckFailure);
    expect((f as CheckFailure).message).toMatch(/^SIGKILL 1 of 3: after the kill the store lost acknowledged data: the store came back EMPTY/);
  });

  it('runs on a driver implementation directly: the durable Python driver passes', async () => {
    const impl = await driverImplementation(`python3 ${root('examples/python-driver/driver.py')} --durable`);
    const ctx = testContext(impl, { crashKills: 3, timeoutMs: 15_000 });
    ctx.defer(() => impl.dispose());
    expect(await runCheck(check('CRASH-CONSISTENT'), ctx)).toBeNull();
  });
});
