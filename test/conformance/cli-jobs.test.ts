// Checks spread over several child processes (--jobs) judge exactly as one child does: the same verdicts in the
// suite's order, a crash failing the check that ran into it while the other child goes on.
import { describe, expect, it } from 'vitest';
import { parseCheckArgs } from '../../conformance/cli/main.js';
import { defaultJobs } from '../../conformance/cli/supervisor.js';
import { cliJsonAsync } from '../helpers/cli.js';

const verdicts = (r: Awaited<ReturnType<typeof cliJsonAsync>>) => r.report.requirements.map((q) => `${q.id} ${q.status}`);

describe('check --jobs', () => {
  it('defaults to the cores (at most 4) for a module and to 1 for a driver, and rejects 0', () => {
    expect(parseCheckArgs(['m.ts']).jobs).toBe(defaultJobs());
    expect(defaultJobs()).toBeGreaterThanOrEqual(1);
    expect(defaultJobs()).toBeLessThanOrEqual(4);
    expect(parseCheckArgs(['--driver', 'python3 d.py']).jobs).toBe(1);
    expect(parseCheckArgs(['m.ts', '--jobs', '3']).jobs).toBe(3);
    expect(() => parseCheckArgs(['m.ts', '--jobs', '0'])).toThrow(/--jobs takes a positive whole number/);
  });

  it('a store that aborts its process on a NUL key: the same verdicts with one child and with three', async () => {
    // Whichever check meets the NUL key first kills its child: that is API-NO-THROW's finding, and every check (that one
    // again, and those other children were running) judges its own rule without NUL, as one child running them in turn does.
    const args = ['check', 'mutants/aborts-on-nul-key.ts', '--seed', '20261125', '--timeout', '2000', '--only', 'API-NO-THROW,STR-ROUNDTRIP,LS-SET-GET,SES-SET-GET'];
    const [one, three] = await Promise.all([cliJsonAsync([...args, '--jobs', '1']), cliJsonAsync([...args, '--jobs', '3'])]);
    expect(one.status, one.stdout).toBe(1);
    expect(three.status, three.stdout).toBe(1);
    expect(one.report.requirements.find((r) => r.id === 'API-NO-THROW')?.status).toBe('failed');
    expect(verdicts(three)).toEqual(verdicts(one));
    expect(verdicts(one)).toContain('STR-ROUNDTRIP passed');
    expect(three.stdout).toMatch(/3 at a time/);
  });
});
