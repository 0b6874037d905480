// Run the titan-storage CLI as a user would, and read its JSON report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/titan-storage.mjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A check's checks one at a time unless the test says otherwise: the test run keeps both cores busy with three files
 * at a time, and a worker per core per check started processes for nothing. The verdicts are the same with any
 * --jobs (test/conformance/cli-jobs.test.ts); the default is what the installed package's tests run.
 */
function oneJob(args: string[]): string[] {
  return args[0] === 'check' && !args.includes('--jobs') && !args.includes('--watch') ? [...args, '--jobs', '1'] : args;
}

export function cli(args: string[], timeoutMs = 240_000): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...oneJob(args)], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface JsonReport {
  exitCode: number;
  requirements: { id: string; status: string; checks: { id: string; status: string; message?: string; replay?: string }[] }[];
}

/** Attach the JSON report the run wrote to `out`; a missing report is an error that shows the run's output. */
function withReport(r: CliRun, out: string): CliRun & { report: JsonReport } {
  try {
    return { ...r, report: JSON.parse(readFileSync(out, 'utf8')) as JsonReport };
  } catch {
    throw new Error(`no JSON report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    // The report's folder also holds the pictures written beside it.
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

/** Run with --reporter json into a temp file; returns the exit status and the parsed report. */
export function cliJson(args: string[], timeoutMs?: number): CliRun & { report: JsonReport } {
  const out = join(mkdtempSync(join(tmpdir(), 'titan-cli-')), 'report.json');
  const r = cli([...args, '--reporter', 'json', '--output', out], timeoutMs);
  return withReport(r, out);
}

export const failedIds = (report: JsonReport) => report.requirements.filter((r) => r.status === 'failed').map((r) => r.id);

/** The same, without blocking: several CLI runs can go side by side. */
export async function cliJsonAsync(args: string[], timeoutMs = 240_000, env: NodeJS.ProcessEnv = {}): Promise<CliRun & { report: JsonReport }> {
  const { execFile } = await import('node:child_process');
  const out = join(mkdtempSync(join(tmpdir(), 'titan-cli-')), 'report.json');
  const r = await new Promise<CliRun>((resolve) => {
    execFile(process.execPath, [BIN, ...oneJob(args), '--reporter', 'json', '--output', out], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: unknown }).code as number | null) ?? null : 0, stdout, stderr });
    });
  });
  return withReport(r, out);
}
