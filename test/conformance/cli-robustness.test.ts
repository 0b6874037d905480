// The CLI survives its readers and its implementations: a closed pipe, a crash that leaves files, a long fatal trace.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avoidAfterCrash, stderrSummary } from '../../conformance/cli/supervisor.js';
import { ROOT } from '../helpers/cli.js';

const BIN = join(ROOT, 'bin/titan-storage.mjs');

describe('CLI robustness', () => {
  it('a check that runs past its budget and the grace after it is stopped and fails API-TIMELY; the run goes on', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', 'test/fixtures/cli/slow-operations.ts', '--only', 'API-NO-THROW/long-sequence,STR-PROTO-NAMES/ordinary-keys,SES-GET-MISSING', '--runs', '3', '--budget', '1', '--seed', '1'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILED API-TIMELY[\s\S]*during STR-PROTO-NAMES\/ordinary-keys: the check ran 6 s, past its budget of 1 s/);
    // A property the budget cut off in its first run checked nothing: a finding about time (API-TIMELY), its own rule not judged. The next checks ran in a fresh process.
    expect(r.stdout).toMatch(/API-NO-THROW: the budget \(1 s\) ended it before its first run completed/);
    expect(r.stdout).toMatch(/SES-GET-MISSING: the budget \(1 s\) ended it/);
    expect(r.stdout).toMatch(/not judged \(\d+\)[\s\S]*API-NO-THROW +in the way: API-TIMELY/);
    // Stopped, not waited out: a run still going after spawnSync's timeout has no status and fails above.
    expect(r.error).toBeUndefined();
  }, 120_000);

  it('`titan-storage requirements | head -1`: a reader that closes early is not an error', async () => {
    const child = spawn(process.execPath, [BIN, 'requirements'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it('stopped by SIGTERM mid-check, the CLI kills its child and leaves nothing in the temp dir', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'titan-cli-term-'));
    try {
      const child = spawn(process.execPath, [BIN, 'check', 'test/fixtures/cli/slow-operations.ts', '--only', 'STR-PROTO-NAMES/ordinary-keys'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      // Wait until the check is under way (its store dir exists), then stop the CLI.
      for (let i = 0; i < 200 && !readdirSync(tmp).some((f) => f.startsWith('titan-storage-run-')); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, out).toBe(143);
      expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('a crashed implementation leaves nothing in the temp dir, and the JSON report names the tool by name and version only', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'titan-cli-tmp-'));
    const out = mkdtempSync(join(tmpdir(), 'titan-cli-out-'));
    try {
      const r = spawnSync(process.execPath, [BIN, 'check', 'test/fixtures/cli/crashes-on-clear.ts', '--only', 'LS-CLEAR,LS-SET-GET', '--seed', '1', '--reporter', 'json', '--output', join(out, 'r.json')], {
        cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain('died (signal SIGSEGV)');
      // tsx keeps its compile cache (tsx-<uid>) in the temp dir on purpose; nothing else may stay.
      expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
      const report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as { tool: Record<string, unknown> };
      expect(Object.keys(report.tool).sort()).toEqual(['name', 'version']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);

  it('a crash report keeps the fatal message and the top of its stack (one stack) even when a long trace follows it', () => {
    const trace = ['starting', '#', '# Fatal error in , line 0', '# Check failed: index < length.', ...Array.from({ length: 40 }, (_, i) => `    frame ${i}`), '----- Native stack trace -----', '1: 0xabc node::Abort()'].join('\n');
    const summary = stderrSummary(trace);
    expect(summary.split('\n')[0]).toBe('# Fatal error in , line 0');
    expect(summary).toContain('# Check failed: index < length.');
    expect(summary).toContain('frame 0');
    expect(summary).not.toContain('Native stack trace');
    expect(summary).toMatch(/… \(\d+ more lines\)$/);
    expect(summary.split('\n').length).toBeLessThan(20);
    expect(stderrSummary('one\ntwo')).toBe('one\ntwo');
  });

  it('after a crash on a call, later checks run without the input class of its strings (and not for plain ones)', () => {
    expect(avoidAfterCrash('ls.set("a\\u0000", "v")')).toEqual({ avoid: { kind: 'class', name: 'nul' }, because: 'API-NO-THROW' });
    expect(avoidAfterCrash('session.get("\\ud800", "k")')?.avoid).toEqual({ kind: 'class', name: 'lone-surrogate' });
    expect(avoidAfterCrash('ls.clear()')).toBeUndefined();
    expect(avoidAfterCrash('ls.set("a", "b")')).toBeUndefined();
    expect(avoidAfterCrash('ls.set(an object ([object Object]), "b")')).toBeUndefined();
    expect(avoidAfterCrash(undefined)).toBeUndefined();
  });
});
