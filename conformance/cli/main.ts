/**
 * titan-storage: the CLI gate.
 *   titan-storage check <module> [options]     check an Implementation module (.js, .mjs, .ts)
 *   titan-storage check --driver "<cmd>"       check a driver process (spec/PROTOCOL.md)
 *   titan-storage requirements                 list every requirement ID
 *   titan-storage dashboard <report.json…>     one HTML page from several JSON reports
 * Exit codes: 0 all requirements passed (or failed as expected), 1 an unexpected failure or an
 * unexpected pass, 2 usage error / module not found / not an Implementation.
 */
import { describePersistence } from '../../spec/persistence.js';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { MissingPackageError, PACKAGE_ROOT } from '../entries.js';
import { parseArgs } from 'node:util';
import { REQUIREMENTS, SPEC_VERSION } from '../../spec/requirements.js';
import { ExpectationsError, loadExpectations, type Expectations, type RunMode } from '../expectations.js';
import { writeExpectations } from '../write-expectations.js';
import { judge, type Verdict } from '../gate.js';
import { checkLine, dim, renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import type { ReplayTarget } from '../report/replay.js';
import { DEFAULT_OPTIONS } from '../runner.js';
import { optionsFromEnv } from '../options.js';
import { parseAvoid, type AvoidItem } from '../avoid.js';
import { defaultJobs, FatalLoadError, supervise } from './supervisor.js';
import { watchChecks } from './watch.js';
import { dashboard, DashboardUsageError, writeHtmlReport, writeJsonPictures } from './dashboard.js';
import { ReportFormatError } from '../report/html/reports.js';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const USAGE = `usage: titan-storage check <module> [options]
       titan-storage check --driver "<command line>" [options]
       titan-storage requirements
       titan-storage dashboard <report.json>… [-o FILE] [--perf reports/perf.json]

Checks a TitanPL storage implementation against the executable spec (spec/SPEC.md).
<module> is a .js, .mjs or .ts file whose default export is an Implementation (spec/contract.ts).

options:
  --runs N             fast-check runs per property (default ${DEFAULT_OPTIONS.runs})
  --seed S             fast-check seed (default: random, printed)
  --path P             replay one failure: the fast-check path printed with it (use with --seed and --only)
  --replay-path R      replay a model-based failure: the replayPath printed with it
  --budget SECONDS     wall-clock budget per check, shrinking included (default 60); at its end the
                       smallest failure found so far is reported, or the runs done so far stand
  --only ID[,ID…]      run only these checks or requirements (IDs or prefixes), repeatable
  --skip ID[,ID…]      report these checks or requirements as skipped instead of running them, repeatable
  --avoid CLASS[,…]    run every check without these inputs, reported as such: empty-key, empty-value, nul,
                       lone-surrogate, member-names, separator, json-values, long-strings, unusual, upper-case, padded, not-nfc,
                       op:<operation> (e.g. op:session.clear), missing-reads:"" , keys-iterable,
                       keys-duplicates, throws-when-missing:ls.remove|session.delete, leftovers; repeatable
  --timeout MS         per-operation timeout (default ${DEFAULT_OPTIONS.timeoutMs})
  --crash-kills N      CRASH-CONSISTENT: how many times to SIGKILL a durable store mid-write (default 12)
  --crash-states N     CRASH-POWERLOSS: how many distinct power-loss crash states to replay (default 40)
  --isolation MODE     inline (default: the module runs in a supervised child process) or
                       process (through the driver protocol: restarts are real SIGKILLs)
  --driver "<cmd>"     check a driver process speaking spec/PROTOCOL.md instead of a module
  --jobs N             checks run in N child processes at once (default: one per core, at most 4, for a
                       module; 1 with --driver, whose process may be a server or a deployment)
  --reporter R         human (default), json, junit or html (a dashboard page; needs --output)
  --output FILE        write the json/junit/html report to FILE (the human summary still prints);
                       pictures of failing histories are written beside it as .svg
  --expect FILE        expected failures (JSON); listed requirements may fail, and must not pass
  --write-expect FILE  write (or update, for this run mode) an expectations file from this run's failures
  --coverage           report which lines and branches of the implementation the suite exercised
  --quiet              print only failures and the summary
  --watch              rerun on every save in the module's folder, the last run's failing checks first
  -h, --help           this text
exit codes: 0 pass, 1 unexpected failure (or an expected failure that now passes), 2 usage error`;

class UsageError extends Error {}

export interface CheckArgs {
  module?: string;
  driver?: string;
  isolation: 'inline' | 'process';
  runs: number;
  seed: number;
  path?: string;
  replayPath?: string;
  only: string[];
  skip: string[];
  avoid: AvoidItem[];
  timeoutMs: number;
  budgetMs?: number;
  jobs: number;
  crashKills?: number;
  crashStates?: number;
  reporter: 'human' | 'json' | 'junit' | 'html';
  output?: string;
  expect?: string;
  writeExpect?: string;
  coverage: boolean;
  quiet: boolean;
  watch: boolean;
}

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} takes a positive whole number (got ${JSON.stringify(v)})`);
  return n;
}

const idList = (v: string[] | undefined) => (v ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

function avoidList(v: string[] | undefined): AvoidItem[] {
  try {
    return parseAvoid(idList(v), '--avoid');
  } catch (e) {
    throw new UsageError(`--avoid: ${(e as Error).message}`);
  }
}

export function parseCheckArgs(argv: string[]): CheckArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        path: { type: 'string' },
        'replay-path': { type: 'string' },
        only: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        avoid: { type: 'string', multiple: true },
        budget: { type: 'string' },
        timeout: { type: 'string' },
        jobs: { type: 'string' },
        'crash-kills': { type: 'string' },
        'crash-states': { type: 'string' },
        isolation: { type: 'string' },
        driver: { type: 'string' },
        reporter: { type: 'string' },
        output: { type: 'string' },
        expect: { type: 'string' },
        'write-expect': { type: 'string' },
        coverage: { type: 'boolean' },
        quiet: { type: 'boolean' },
        watch: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one module at a time (got ${positionals.join(', ')})`);
  const module = positionals[0];
  if (module === undefined && v.driver === undefined) throw new UsageError('check needs a module path or --driver "<command line>"');
  if (module !== undefined && v.driver !== undefined) throw new UsageError('give a module path or --driver, not both');
  const reporter = (v.reporter ?? 'human') as CheckArgs['reporter'];
  if (!['human', 'json', 'junit', 'html'].includes(reporter)) throw new UsageError(`--reporter must be human, json, junit or html (got ${reporter})`);
  if (reporter === 'html' && v.output === undefined) throw new UsageError('--reporter html writes a page: give it --output FILE');
  const isolation = (v.isolation ?? 'inline') as CheckArgs['isolation'];
  if (!['inline', 'process'].includes(isolation)) throw new UsageError(`--isolation must be inline or process (got ${isolation})`);
  if (v.seed !== undefined && !/^-?\d+$/.test(v.seed)) throw new UsageError(`--seed takes an integer (got ${JSON.stringify(v.seed)})`);
  if (v.path !== undefined && v.seed === undefined) throw new UsageError('--path replays a failure and needs the --seed printed with it');
  if (v.coverage && (v.driver !== undefined || isolation === 'process')) throw new UsageError('--coverage measures a JavaScript module in this process; it cannot be combined with --driver or --isolation process');
  if (v.watch && module === undefined) throw new UsageError('--watch reruns on changes to a module\'s folder: give a module path, not --driver');
  if (v.watch && (v.coverage || v['write-expect'] !== undefined)) throw new UsageError('--watch cannot be combined with --coverage or --write-expect');
  return {
    module,
    driver: v.driver,
    isolation,
    runs: positiveInt('runs', v.runs, DEFAULT_OPTIONS.runs),
    seed: v.seed !== undefined ? Number(v.seed) | 0 : (Math.random() * 2 ** 31) | 0,
    path: v.path,
    replayPath: v['replay-path'],
    only: idList(v.only),
    skip: idList(v.skip),
    avoid: avoidList(v.avoid),
    timeoutMs: positiveInt('timeout', v.timeout, DEFAULT_OPTIONS.timeoutMs),
    budgetMs: v.budget === undefined ? undefined : positiveInt('budget', v.budget, 60) * 1000,
    jobs: positiveInt('jobs', v.jobs, v.driver === undefined ? defaultJobs() : 1),
    crashKills: v['crash-kills'] === undefined ? undefined : positiveInt('crash-kills', v['crash-kills'], 12),
    crashStates: v['crash-states'] === undefined ? undefined : positiveInt('crash-states', v['crash-states'], 40),
    reporter,
    output: v.output,
    expect: v.expect,
    writeExpect: v['write-expect'],
    coverage: v.coverage ?? false,
    quiet: v.quiet ?? false,
    watch: v.watch ?? false,
  };
}

/** The run mode expectations are conditioned on: a driver is a process too. */
function runMode(args: CheckArgs): RunMode {
  return args.isolation === 'process' || args.driver !== undefined ? 'process' : 'inline';
}

/** What watch mode adds to one run of `check`. */
export interface CheckRunHooks {
  /** Stops the run (a file changed): `check` then throws RunAborted. */
  signal?: AbortSignal;
  /** Check IDs to run first; the report keeps the suite's order. */
  first?: string[];
  onVerdict?: (v: Verdict) => void;
}

/** What every check runs without: the flag's, else the environment's, and the expectations file's. */
function avoidOption(flag: AvoidItem[], fromFile: AvoidItem[] | undefined, fromEnv: readonly AvoidItem[] | undefined): { avoid?: AvoidItem[] } {
  const avoid = [...(flag.length ? flag : (fromEnv ?? [])), ...(fromFile ?? [])];
  return avoid.length ? { avoid } : {};
}

/** Run `check`; returns the exit code. Reports go to stdout (or --output); progress to stderr when stdout carries json/junit. */
export async function check(args: CheckArgs, hooks: CheckRunHooks = {}): Promise<number> {
  if (args.module !== undefined && !existsSync(args.module)) throw new FatalLoadError(`module not found: ${args.module}`);
  let expectations: Expectations | undefined;
  if (args.expect) expectations = await loadExpectations(args.expect, runMode(args));
  const started = performance.now();
  const env = optionsFromEnv();
  const machine = args.reporter !== 'human' && !args.output;
  const log = (s: string) => (machine ? process.stderr : process.stdout).write(`${s}\n`);
  const target: ReplayTarget = { module: args.module, driver: args.driver, isolation: args.isolation, timeoutMs: args.timeoutMs === DEFAULT_OPTIONS.timeoutMs ? undefined : args.timeoutMs };
  const run = await supervise(
    {
      module: args.module ? resolve(args.module) : undefined,
      driver: args.driver,
      isolation: args.isolation,
      options: {
        ...env,
        runs: args.runs,
        seed: args.seed,
        path: args.path,
        replayPath: args.replayPath,
        timeoutMs: args.timeoutMs,
        crashKills: args.crashKills ?? env.crashKills,
        crashStates: args.crashStates ?? env.crashStates,
        ...(args.skip.length ? { exclude: args.skip } : {}),
        ...avoidOption(args.avoid, expectations?.avoid, env.avoid),
        ...(args.budgetMs ? { budgetMs: args.budgetMs } : {}),
      },
      only: args.only,
      jobs: args.jobs,
      ...(hooks.first?.length ? { first: hooks.first } : {}),
    },
    (r) => {
      if (!args.quiet || r.status === 'failed') log(checkLine(r));
    },
    (r) => {
      const c = r.implementation.capabilities;
      log(`titan-storage ${pkg.version} · spec version ${SPEC_VERSION} · ${r.implementation.name} (persistence: ${describePersistence(c.persistence)}, sharing: ${c.sharing})`);
      log(dim(`seed ${args.seed} · ${args.runs} runs per property · ${args.timeoutMs} ms per operation · ${r.plan.length} checks${args.isolation === 'process' ? ' · through a driver process' : ''}${args.jobs > 1 ? ` · ${args.jobs} at a time` : ''}`));
    },
    hooks.signal,
  );
  const rank = new Map(run.plan.map((p) => [p.id, p.rank]));
  run.results.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  if (run.plan.length === 0 && args.only.length) throw new UsageError(`--only ${args.only.join(',')} matches no check`);
  const verdict = judge(
    run.results,
    { ...run.implementation, module: args.module },
    { seed: args.seed, runs: args.runs, timeoutMs: args.timeoutMs, only: args.only },
    expectations,
    performance.now() - started,
  );
  log(renderHuman(verdict, target));
  hooks.onVerdict?.(verdict);
  if (args.writeExpect) {
    await writeExpectations(args.writeExpect, verdict, runMode(args), target);
    log(dim(`expectations for --isolation ${runMode(args)} written to ${args.writeExpect}`));
  }
  const tool = { name: pkg.name, version: pkg.version };
  if (args.reporter === 'html' && args.output) {
    await writeHtmlReport(renderJson(verdict, target, tool), args.output);
    log(dim(`html report written to ${relative(process.cwd(), resolve(args.output))}`));
  } else if (args.reporter !== 'human') {
    const text = args.reporter === 'json' ? renderJson(verdict, target, tool) : renderJunit(verdict, target);
    if (args.output) {
      await mkdir(dirname(resolve(args.output)), { recursive: true });
      await writeFile(args.output, text);
      if (args.reporter === 'json') await writeJsonPictures(text, args.output);
      log(dim(`${args.reporter} report written to ${relative(process.cwd(), resolve(args.output))}`));
    } else process.stdout.write(text + '\n');
  }
  if (args.coverage) {
    const { coverage } = await import('./coverage.js');
    await coverage(resolve(args.module!), { ...env, runs: args.runs, seed: args.seed, timeoutMs: args.timeoutMs, only: args.only });
  }
  return verdict.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`titan-storage requirements | head -1`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      console.log(pkg.version);
      return 0;
    }
    if (command === 'requirements') {
      for (const r of REQUIREMENTS) console.log(`${r.id.padEnd(24)} ${r.title}`);
      return 0;
    }
    if (command === 'dashboard') return await dashboard(rest);
    if (command !== 'check') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    if (rest.includes('-h') || rest.includes('--help')) {
      console.log(USAGE);
      return 0;
    }
    const args = parseCheckArgs(rest);
    return args.watch ? await watchChecks(args, check) : await check(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof FatalLoadError || e instanceof MissingPackageError || e instanceof ExpectationsError || e instanceof DashboardUsageError || e instanceof ReportFormatError) {
      console.error(`titan-storage: ${e.message}`);
      if (e instanceof UsageError || e instanceof DashboardUsageError) console.error(`run "titan-storage --help" for usage`);
      return 2;
    }
    throw e;
  }
}
