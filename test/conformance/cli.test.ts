// The CLI gate as CI uses it: exit codes, reports, expectations, replays, and surviving bad implementations.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, failedIds } from '../helpers/cli.js';
import { assertWellFormedXml } from '../helpers/xml.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'titan-cli-test-'));

describe('titan-storage CLI', { timeout: 300_000 }, () => {
  it('usage errors exit 2 with a clear message', () => {
    expect(cli([]).status).toBe(2);
    expect(cli(['--help']).status).toBe(0);
    const unknown = cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    const runs = cli(['check', 'reference/memory.ts', '--runs', 'lots']);
    expect(runs.status).toBe(2);
    expect(runs.stderr).toContain('--runs takes a positive whole number');
    expect(cli(['check', 'reference/memory.ts', '--reporter', 'xml']).status).toBe(2);
    expect(cli(['check', 'reference/memory.ts', '--path', '0:1']).stderr).toContain('needs the --seed');
  });

  it('a missing module or a module that is not an Implementation exits 2', () => {
    const missing = cli(['check', 'nowhere/store.ts']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('module not found: nowhere/store.ts');
    const bad = cli(['check', 'test/fixtures/cli/not-an-implementation.ts']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not an Implementation: the default export has no `capabilities` object');
  });

  it('a conforming store exits 0 and writes valid JUnit', () => {
    const out = join(scratch(), 'junit.xml');
    const r = cli(['check', 'reference/memory.ts', '--only', 'LS-,SES-ISOLATION', '--seed', '1', '--reporter', 'junit', '--output', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const xml = readFileSync(out, 'utf8');
    assertWellFormedXml(xml);
    expect(xml).toContain('classname="SES-ISOLATION"');
    expect(xml).toMatch(/failures="0"/);
  });

  it('a broken store exits 1 naming the requirement, and its replay command reproduces the failure', () => {
    const r = cliJson(['check', 'mutants/composite-session-key.ts', '--only', 'SES-ISOLATION', '--seed', '5']);
    expect(r.status).toBe(1);
    expect(failedIds(r.report)).toEqual(['SES-ISOLATION']);
    const check = r.report.requirements.find((x) => x.id === 'SES-ISOLATION')!.checks[0]!;
    expect(check.replay).toMatch(/^npx titan-storage check mutants\/composite-session-key\.ts --only SES-ISOLATION\/independent-pairs --seed 5 --path \S+$/);
    const args = check.replay!.replace(/^npx titan-storage /, '').split(' ');
    const replay = cliJson(args);
    expect(replay.status).toBe(1);
    expect(replay.report.requirements.find((x) => x.id === 'SES-ISOLATION')!.checks[0]!.message).toBe(check.message);
    // The human report shows the requirement, the counterexample and the replay command.
    const human = cli(args);
    expect(human.stdout).toContain('FAILED SES-ISOLATION');
    expect(human.stdout).toContain('counterexample (shrunk):');
    expect(human.stdout).toContain('replay: npx titan-storage check');
  });

  it('expected failures pass the gate; an expected failure that passes fails it', () => {
    const dir = scratch();
    const exact = join(dir, 'exact.json');
    writeFileSync(exact, JSON.stringify({ expectedFailures: { 'SES-ISOLATION': { reason: 'composite keys' } } }));
    const ok = cli(['check', 'mutants/composite-session-key.ts', '--only', 'SES-ISOLATION,LS-SET-GET', '--seed', '2', '--expect', exact]);
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('expected failure SES-ISOLATION');
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ expectedFailures: ['SES-ISOLATION', 'LS-SET-GET'] }));
    const bad = cli(['check', 'mutants/composite-session-key.ts', '--only', 'SES-ISOLATION,LS-SET-GET', '--seed', '2', '--expect', stale]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('UNEXPECTED PASS LS-SET-GET');
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ expectedFailures: ['NOT-A-REQ'] }));
    expect(cli(['check', 'reference/memory.ts', '--expect', unknown]).status).toBe(2);
  });

  it('a store that crashes its process is a finding of its own (API-NO-THROW) naming the call and a replay; the run goes on', () => {
    const r = cliJson(['check', 'test/fixtures/cli/crashes-on-clear.ts', '--only', 'LS-CLEAR,LS-SET-GET', '--seed', '1']);
    expect(r.status).toBe(1);
    const crash = r.report.requirements.find((x) => x.id === 'API-NO-THROW')!.checks[0]! as { id: string; message?: string; replay?: string };
    expect(crash.id).toBe('LS-CLEAR/local-only');
    expect(crash.message).toContain('during LS-CLEAR/local-only, in ls.clear() (the last call it was given): the process running the implementation died (signal SIGSEGV)');
    expect(crash.replay).toMatch(/--only LS-CLEAR\/local-only --seed 1/);
    expect(r.report.requirements.find((x) => x.id === 'LS-SET-GET')!.status).toBe('passed');
  });

  it('a synchronous hang is killed and reported as API-TIMELY; the run goes on', () => {
    // ordinary-keys fills the mutant's 8-slot table; STR-LARGE-VALUE, run after it by a fresh process, stores one key.
    const r = cliJson(['check', 'mutants/sync-infinite-loop.ts', '--only', 'STR-PROTO-NAMES/ordinary-keys,STR-LARGE-VALUE', '--seed', '1', '--timeout', '1500']);
    expect(r.status).toBe(1);
    const timely = r.report.requirements.find((x) => x.id === 'API-TIMELY')!;
    expect(timely.status).toBe('failed');
    expect(timely.checks[0]!.message).toContain('synchronous hang');
    expect(timely.checks[0]!.message).toMatch(/during STR-PROTO-NAMES\/ordinary-keys, in (ls|session)\.\w+\(.*\) \(the last call it was given\): no sign of life/);
    expect((timely.checks[0] as { replay?: string }).replay).toMatch(/--only STR-PROTO-NAMES\/ordinary-keys --seed 1/);
    expect(r.report.requirements.find((x) => x.id === 'STR-LARGE-VALUE')!.status).toBe('passed');
  });

  it('a store wrongly declared "cluster" fails SHARE-CLUSTER through two processes', () => {
    const r = cliJson(['check', 'test/fixtures/memory-as-cluster.ts', '--only', 'SHARE-CLUSTER', '--seed', '1']);
    expect(r.status).toBe(1);
    expect(failedIds(r.report)).toEqual(['SHARE-CLUSTER']);
  });
});
