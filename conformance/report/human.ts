/** The terminal report: a line per check as it finishes, then failures in full and a summary. */
import type { RequirementResult, Verdict } from '../gate.js';
import type { CheckResult } from '../runner.js';
import type { ReplayTarget } from './replay.js';
import { failedCheckLines } from './failure.js';

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = (s: string) => paint(32, s);
export const red = (s: string) => paint(31, s);
export const yellow = (s: string) => paint(33, s);
export const dim = (s: string) => paint(2, s);

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', skipped: '-' };

export function checkLine(r: CheckResult): string {
  const mark = r.status === 'passed' ? green(MARK.passed) : r.status === 'failed' ? red(MARK.failed) : dim(MARK.skipped);
  const tail = r.status === 'skipped' ? dim(`skipped: ${r.reason}`) : dim(`${Math.round(r.durationMs)} ms${r.note ? ` · ${r.note}` : ''}`);
  return ` ${mark} ${r.id.padEnd(44)} ${tail}`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function failureBlock(req: RequirementResult, target: ReplayTarget): string {
  const lines: string[] = [];
  const label = req.status === 'expected-failure' ? yellow('expected failure') : red('FAILED');
  lines.push(`${label} ${req.id}: ${req.title}`);
  if (req.expectation?.reason) lines.push(`  expected because: ${req.expectation.reason}`);
  if (req.upgrade) lines.push(yellow(`  ${req.upgrade}`));
  for (const c of req.checks.filter((x) => x.status === 'failed')) lines.push(indent(failedCheckLines(c, target).join('\n'), '  '));
  return lines.join('\n');
}

export function renderHuman(v: Verdict, target: ReplayTarget): string {
  const out: string[] = [];
  const failing = v.requirements.filter((r) => r.status === 'failed' || r.status === 'expected-failure');
  if (failing.length) out.push('', ...failing.map((r) => failureBlock(r, target) + '\n'));
  for (const r of v.requirements.filter((x) => x.status === 'unexpected-pass')) {
    out.push(red(`UNEXPECTED PASS ${r.id}: listed as an expected failure in ${v.expectationsFile} but it passes now — remove it from that file.`));
  }
  const unchecked = v.requirements.filter((r) => r.expectation && (r.status === 'skipped' || r.status === 'not-run'));
  if (unchecked.length) out.push(yellow(`listed as expected failures but not checked in this run: ${unchecked.map((r) => r.id).join(', ')}`));
  const notRun = v.requirements.filter((r) => r.status === 'not-run');
  if (notRun.length && v.options.only.length === 0) out.push(yellow(`not checked by any check in this run: ${notRun.map((r) => r.id).join(', ')}`));
  const s = v.summary;
  out.push(
    '',
    `requirements: ${green(`${s.passed} passed`)}, ${s.failed ? red(`${s.failed} failed`) : '0 failed'}, ${s['expected-failure']} expected failures, ${s['unexpected-pass'] ? red(`${s['unexpected-pass']} unexpected passes`) : '0 unexpected passes'}, ${s.skipped} skipped`,
    `checks: ${s.checks.passed} passed, ${s.checks.failed} failed, ${s.checks.skipped} skipped · seed ${v.options.seed} · ${(v.durationMs / 1000).toFixed(1)} s`,
    v.exitCode === 0 ? green(`PASS ${v.implementation.name}`) : red(`FAIL ${v.implementation.name}`),
  );
  return out.join('\n');
}
