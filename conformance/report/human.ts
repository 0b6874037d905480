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
export const blue = (s: string) => paint(34, s);

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', skipped: '-', 'not-judged': '?' };

export function checkLine(r: CheckResult): string {
  const mark = r.status === 'passed' ? green(MARK.passed) : r.status === 'failed' ? red(MARK.failed) : r.status === 'not-judged' ? blue(MARK['not-judged']) : dim(MARK.skipped);
  const tail = r.status === 'skipped' ? dim(`skipped: ${r.reason}`) : r.status === 'not-judged' ? blue(r.reason ?? 'not judged') : dim(`${Math.round(r.durationMs)} ms${r.note ? ` · ${r.note}` : ''}`);
  // The defects it ran into before judging its own rule, each a line of its own (their failures are reported under their rules).
  const before = (r.ranInto ?? []).map((x) => ` ${red(MARK.failed)} ${r.id.padEnd(44)} ${dim(`ran into ${x.requirement} (reported there), then ran again without it`)}`);
  const own = r.status === 'failed' && r.ranIntoFrom ? dim(` (reported under ${r.requirement}; ${r.ranIntoFrom} not judged by it)`) : '';
  return [...before, ` ${mark} ${r.id.padEnd(44)} ${tail}${own}`].join('\n');
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
  const judgedNow = v.requirements.filter((r) => r.status === 'passed' && r.expectation);
  if (judgedNow.length) out.push(yellow(`listed as not judged in ${v.expectationsFile} but judged now (passed): ${judgedNow.map((r) => r.id).join(', ')} — remove them from its "notJudged"`));
  const unchecked = v.requirements.filter((r) => r.expectation && (r.status === 'skipped' || r.status === 'not-run'));
  if (unchecked.length) out.push(yellow(`listed as expected failures but not checked in this run: ${unchecked.map((r) => r.id).join(', ')}`));
  const notJudged = v.requirements.filter((r) => r.status === 'not-judged' || r.status === 'expected-not-judged');
  if (notJudged.length) {
    out.push('', blue(`not judged (${notJudged.length}): no check could judge these past a defect of another rule${v.expectationsFile ? ` (listed in ${v.expectationsFile}: ${notJudged.filter((r) => r.status === 'expected-not-judged').length})` : ''}`));
    for (const r of notJudged) out.push(`  ${r.status === 'expected-not-judged' ? yellow('?') : blue('?')} ${r.id.padEnd(22)} ${dim(`in the way: ${(r.notJudgedBecause ?? []).join(', ')}`)}`);
    const unlisted = notJudged.filter((r) => r.status === 'not-judged');
    if (unlisted.length && v.expectationsFile) out.push(red(`NOT JUDGED ${unlisted.map((r) => r.id).join(', ')}: not listed under "notJudged" in ${v.expectationsFile} — fix the defect in the way, or list them there.`));
  }
  const notRun = v.requirements.filter((r) => r.status === 'not-run');
  if (notRun.length && v.options.only.length === 0) out.push(yellow(`not checked by any check in this run: ${notRun.map((r) => r.id).join(', ')}`));
  const s = v.summary;
  out.push(
    '',
    `requirements: ${green(`${s.passed} passed`)}, ${s.failed ? red(`${s.failed} failed`) : '0 failed'}, ${s['expected-failure']} expected failures, ${s['unexpected-pass'] ? red(`${s['unexpected-pass']} unexpected passes`) : '0 unexpected passes'}, ${s.skipped} skipped (not applicable), ${s['not-judged'] ? red(`${s['not-judged']} not judged`) : '0 not judged'}${s['expected-not-judged'] ? ` (+${s['expected-not-judged']} listed)` : ''}`,
    `checks: ${s.checks.passed} passed, ${s.checks.failed} failed, ${s.checks.skipped} skipped, ${s.checks['not-judged']} not judged · seed ${v.options.seed} · ${(v.durationMs / 1000).toFixed(1)} s`,
    v.exitCode === 0 ? green(`PASS ${v.implementation.name}`) : red(`FAIL ${v.implementation.name}`),
  );
  return out.join('\n');
}
