/**
 * The suite's own benchmark, for `npm run mutants`: how long a check takes until a mutant's first
 * failing check is printed and until its verdict, the kill curve (share of mutants caught against
 * seconds) as SVG, and the wall time of a passing check of the in-memory store.
 */
import { spawn } from 'node:child_process';
import { lineChart } from '../bench/svg.js';

export interface CheckTiming {
  /** Seconds from the start of `titan-storage check` until its first failing check was printed (null: none failed). */
  firstFailure: number | null;
  /** Seconds until the process exited with its verdict. */
  total: number;
}

export interface TimedRun extends CheckTiming {
  status: number | null;
  stdout: string;
}

/** A failing check's line in the human output (conformance/report/human.ts: checkLine). */
const FAILED_LINE = /^ ✗ /m;

/** Run `node args…`, timing the first failing check's line on stdout and the exit. */
export function timedCheck(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<TimedRun> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let firstFailure: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (firstFailure === null && FAILED_LINE.test(stdout)) firstFailure = seconds();
    });
    child.stderr.resume();
    child.on('close', (status) => resolve({ status, stdout, firstFailure, total: seconds() }));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface PassingCheckTime {
  module: string;
  seconds: number[];
  median: number;
}

/** Wall time of `titan-storage check <module>` on a store that passes, `times` runs one after another. */
export async function passingCheckTime(bin: string, module: string, seed: string, cwd: string, times = 5): Promise<PassingCheckTime> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    const r = await timedCheck([bin, 'check', module, '--seed', seed, '--quiet'], cwd);
    if (r.status !== 0) throw new Error(`titan-storage check ${module} did not pass (exit ${r.status}):\n${r.stdout}`);
    seconds.push(r.total);
  }
  return { module, seconds, median: median(seconds) };
}

/** A step curve: after each time, one more of `n` caught. */
function steps(times: number[], n: number): { x: number; y: number }[] {
  const sorted = [...times].sort((a, b) => a - b);
  const points = [{ x: 0, y: 0 }];
  sorted.forEach((t, i) => points.push({ x: t, y: (i / n) * 100 }, { x: t, y: ((i + 1) / n) * 100 }));
  return points;
}

/** The kill curve: share of mutants with a failing check printed (and with their verdict) by each second. */
export function killCurveSvg(timings: readonly CheckTiming[], caught: readonly boolean[]): string {
  const n = timings.length;
  const first = timings.filter((t, i) => caught[i] && t.firstFailure !== null).map((t) => t.firstFailure!);
  const verdict = timings.filter((_, i) => caught[i]).map((t) => t.total);
  return lineChart({
    title: `Kill curve: share of the ${n} mutants caught against seconds of titan-storage check`,
    series: [
      { name: 'first failing check printed', points: steps(first, n), markers: false },
      { name: 'verdict (the check finished)', points: steps(verdict, n), markers: false, dashed: true },
    ],
    xLabel: 'seconds since titan-storage check started',
    yLabel: 'mutants caught (%)',
    formatX: (v) => `${v} s`,
    formatY: (v) => `${v}%`,
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};

/** The report section: the passing check's time, the curve, and quantiles of both times. */
export function timingSection(timings: readonly CheckTiming[], passing: PassingCheckTime, chart: string, parallel: number, load: string): string {
  const first = timings.map((t) => t.firstFailure).filter((t): t is number => t !== null);
  const total = timings.map((t) => t.total);
  const f = (x: number) => `${x.toFixed(1)} s`;
  return `## Detection speed

A passing check of \`${passing.module}\` (the default strength, its checks over the cores): **${f(passing.median)}** wall, median of
${passing.seconds.length} (${passing.seconds.map(f).join(', ')}). Load average when the runs began: ${load}.

Each mutant's full run below, ${parallel} at a time: the seconds from the start of \`titan-storage check\` until its first
failing check was printed, and until its verdict. Half the mutants show a failing check within **${f(quantile(first, 0.5))}**,
90 % within **${f(quantile(first, 0.9))}**, all within **${f(Math.max(...first))}**; verdicts: median ${f(quantile(total, 0.5))}, slowest ${f(Math.max(...total))}.

![kill curve](${chart})
`;
}
