// The runner in-process: model-based failures replay exactly, restarts follow declared persistence, args parse.
import { describe, expect, it } from 'vitest';
import { runCheck, skipReason } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import { parseCheckArgs } from '../../conformance/cli/main.js';
import file from '../../reference/file.js';
import memory from '../../reference/memory.js';
import stale from '../../mutants/stale-keys-cache.js';
import neverWrites from '../../mutants/durable-never-writes.js';

const only = (id: string) => selectChecks(SUITE, [id])[0]!;

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
