// The runner in-process: model-based failures replay exactly, restarts follow declared persistence, args parse.
import { describe, expect, it } from 'vitest';
import { runCheck, skipReason } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import { parseCheckArgs } from '../../conformance/cli/main.js';
import fc from 'fast-check';
import type { Implementation } from '../../spec/contract.js';
import { CheckFailure, type CheckContext } from '../../conformance/check.js';
import { checkProperty, Mismatch } from '../../conformance/property.js';
import file from '../../reference/file.js';
import memory from '../../reference/memory.js';
import stale from '../../mutants/stale-keys-cache.js';
import neverWrites from '../../mutants/durable-never-writes.js';

const only = (id: string) => selectChecks(SUITE, [id])[0]!;

/** The implementation with every operation `ms` slower: a short budget cannot fit the default runs. */
function slowed(impl: Implementation, ms: number): Implementation {
  const wait = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));
  const wrap = <O extends object>(ns: O) => Object.fromEntries(Object.entries(ns).map(([k, f]) => [k, async (...a: unknown[]) => wait(await (f as (...x: unknown[]) => unknown)(...a))])) as O;
  return {
    ...impl,
    name: `slow ${impl.name}`,
    open: async (o) => {
      const s = await impl.open(o);
      return { ls: wrap(s.ls), session: wrap(s.session), close: () => s.close?.() };
    },
  };
}

describe('the budget of a check', () => {
  it('ends a passing property early and says after how many runs', async () => {
    const t0 = performance.now();
    const r = await runCheck(slowed(memory, 20), only('LS-SET-GET/last-write-wins'), { runs: 500, seed: 3, timeoutMs: 2000, budgetMs: 1000 });
    expect(performance.now() - t0).toBeLessThan(6000);
    expect(r.status).toBe('passed');
    expect(r.note).toMatch(/^the budget \(1 s\) ended it after \d+ of 500 runs$/);
  });

  it('ends shrinking and reports the smallest failure found so far, saying why it is not shrunk further', async () => {
    // Fails on every non-empty array, 30 ms a run: the first run fails, shrinking 60 numbers would take seconds.
    const started = performance.now();
    const ctx = { options: { runs: 100, seed: 5, timeoutMs: 1000 }, remainingMs: () => Math.max(1, started + 600 - performance.now()) } as unknown as CheckContext;
    const arb = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 60, maxLength: 60 });
    const failure = await checkProperty(ctx, 'LS-SET-GET', arb, async (xs) => {
      await new Promise((r) => setTimeout(r, 30));
      if (xs.length > 0 && xs.some((x) => x > 0)) throw new Mismatch(`${xs.length} numbers`);
    }).then(() => null, (e: unknown) => e as CheckFailure);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect(failure!.details.shrunk).toBe(false);
    expect(failure!.details.whyNotShrunk).toMatch(/^the check's budget \(1 s\) ran out while shrinking: the smallest failing input found by then$/);
  });
});

describe('runner', () => {
  it('a SEQ-MODEL failure carries numbered shrunk commands, seed, path and replayPath, and replays to the same failure', async () => {
    const first = await runCheck(stale, only('SEQ-MODEL/commands'), { runs: 300, seed: 11, timeoutMs: 2000 });
    expect(first.status).toBe('failed');
    expect(first.requirement).toBe('SEQ-MODEL');
    expect(first.counterexample).toMatch(/^ {2}1\. ls\./m);
    expect(first.message).toMatch(/ls\.keys\(\) returned .*, the model says/);
    expect(first.replayPath).toBeTruthy();
    const again = await runCheck(stale, only('SEQ-MODEL/commands'), { runs: 300, seed: first.seed!, path: first.path, replayPath: first.replayPath, timeoutMs: 2000 });
    expect(again.status).toBe('failed');
    expect(again.message).toBe(first.message);
    expect(again.counterexample).toBe(first.counterexample);
  });

  it('restart checks follow the declared persistence', async () => {
    expect(skipReason(only('PERSIST-VOLATILE'), file)).toMatch(/durable/);
    expect(skipReason(only('PERSIST-DURABLE'), memory)).toMatch(/volatile/);
    expect((await runCheck(file, only('PERSIST-DURABLE'), { runs: 4, seed: 1, timeoutMs: 5000 })).status).toBe('passed');
    const lost = await runCheck(neverWrites, only('PERSIST-DURABLE'), { runs: 20, seed: 1, timeoutMs: 5000 });
    expect(lost.status).toBe('failed');
    expect(lost.message).toMatch(/after restart 1/);
  });

  it('a check that cannot complete fails its requirement with the reason instead of throwing', async () => {
    const broken = { ...memory, open: () => Promise.reject(new Error('cannot open')) };
    const r = await runCheck(broken, only('LS-SET-GET'), { runs: 3, seed: 1, timeoutMs: 1000 });
    expect(r.status).toBe('failed');
    expect(r.requirement).toBe('LS-SET-GET');
    expect(r.message).toContain('cannot open');
  });
});

describe('CLI arguments', () => {
  it('parses every option', () => {
    const a = parseCheckArgs(['m.ts', '--runs', '7', '--seed=-3', '--only', 'LS-,SES-ISOLATION', '--only', 'API-SHAPE', '--timeout', '900', '--reporter', 'junit', '--output', 'o.xml', '--expect', 'e.json', '--crash-kills', '4', '--quiet']);
    expect(a).toMatchObject({ module: 'm.ts', runs: 7, seed: -3, only: ['LS-', 'SES-ISOLATION', 'API-SHAPE'], timeoutMs: 900, reporter: 'junit', output: 'o.xml', expect: 'e.json', crashKills: 4, quiet: true, isolation: 'inline' });
    expect(parseCheckArgs(['--driver', 'python3 d.py'])).toMatchObject({ driver: 'python3 d.py', module: undefined });
    expect(Number.isInteger(parseCheckArgs(['m.ts']).seed)).toBe(true);
  });

  it('refuses contradictory or malformed options', () => {
    expect(() => parseCheckArgs([])).toThrow(/module path or --driver/);
    expect(() => parseCheckArgs(['a.ts', 'b.ts'])).toThrow(/one module at a time/);
    expect(() => parseCheckArgs(['a.ts', '--driver', 'x'])).toThrow(/not both/);
    expect(() => parseCheckArgs(['a.ts', '--isolation', 'thread'])).toThrow(/inline or process/);
    expect(() => parseCheckArgs(['a.ts', '--seed', 'abc'])).toThrow(/integer/);
    expect(() => parseCheckArgs(['a.ts', '--coverage', '--isolation', 'process'])).toThrow(/--coverage/);
    expect(() => parseCheckArgs(['a.ts', '--bogus'])).toThrow();
  });
});
