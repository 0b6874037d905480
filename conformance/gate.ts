/**
 * From check results to the verdict: one status per requirement, expected failures applied, and
 * the exit code of the gate.
 */
import { changedSince, REQUIREMENTS } from '../spec/requirements.js';
import type { Capabilities } from '../spec/contract.js';
import type { Expectations } from './expectations.js';
import type { CheckResult, CheckStatus } from './runner.js';

/**
 * skipped: not applicable here (a capability not declared, --skip); not-judged: its checks ran but none could judge it
 * (a defect of another rule in the way, or every run needed an avoided input); expected-not-judged: so, and the
 * expectations file lists it under "notJudged".
 */
export type RequirementStatus = 'passed' | 'failed' | 'expected-failure' | 'unexpected-pass' | 'skipped' | 'not-judged' | 'expected-not-judged' | 'not-run';

export interface RequirementResult {
  id: string;
  title: string;
  status: RequirementStatus;
  /** For expected failures and unexpected passes: what the expectations file says. */
  expectation?: { reason?: string };
  /** For a requirement not judged: the defects (requirement IDs) or exclusions in the way. */
  notJudgedBecause?: string[];
  /** A failure of a requirement new or changed since the spec version the expectations file was written for. */
  upgrade?: string;
  checks: CheckResult[];
}

export interface Verdict {
  implementation: { name: string; capabilities: Capabilities; module?: string };
  options: { seed: number; runs: number; timeoutMs: number; only: string[] };
  expectationsFile?: string;
  requirements: RequirementResult[];
  summary: Record<RequirementStatus, number> & { checks: Record<CheckStatus, number> };
  exitCode: 0 | 1;
  durationMs: number;
}

export function judge(
  results: readonly CheckResult[],
  implementation: Verdict['implementation'],
  options: Verdict['options'],
  expectations?: Expectations,
  durationMs = 0,
): Verdict {
  const byReq = new Map<string, CheckResult[]>();
  const add = (id: string, r: CheckResult) => byReq.set(id, [...(byReq.get(id) ?? []), r]);
  for (const r of flatten(results)) {
    add(r.requirement, r);
    // The last attempt of a check still ran into another rule's defect: its own requirement is not judged by it, saying where it went.
    if (r.ranIntoFrom && !r.retried) add(r.ranIntoFrom, { ...r, requirement: r.ranIntoFrom, status: 'not-judged', reason: `not judged: it ran into a failure of ${r.requirement} first (reported there)`, blockedBy: r.requirement });
  }
  const requirements: RequirementResult[] = REQUIREMENTS.map((req) => {
    const checks = byReq.get(req.id) ?? [];
    const expected = expectations?.failures.get(req.id);
    const expectedNotJudged = expectations?.notJudged?.get(req.id);
    let status: RequirementStatus;
    if (checks.length === 0) status = 'not-run';
    else if (checks.some((c) => c.status === 'failed')) status = expected ? 'expected-failure' : 'failed';
    else if (checks.some((c) => c.status === 'passed')) status = expected ? 'unexpected-pass' : 'passed';
    else if (checks.some((c) => c.status === 'not-judged')) status = expectedNotJudged || expected ? 'expected-not-judged' : 'not-judged';
    else status = 'skipped';
    const upgrade = status === 'failed' && expectations?.specVersion !== undefined ? changedSince(req, expectations.specVersion) : null;
    const listed = expected ?? expectedNotJudged;
    const because = status === 'not-judged' || status === 'expected-not-judged' ? [...new Set(checks.filter((c) => c.status === 'not-judged').map(inTheWay))] : [];
    return { id: req.id, title: req.title, status, ...(listed ? { expectation: { reason: listed.reason } } : {}), ...(because.length ? { notJudgedBecause: because } : {}), ...(upgrade ? { upgrade: `${upgrade} (${expectations!.file} was written for version ${expectations!.specVersion})` } : {}), checks };
  });
  const summary = {
    passed: 0,
    failed: 0,
    'expected-failure': 0,
    'unexpected-pass': 0,
    skipped: 0,
    'not-judged': 0,
    'expected-not-judged': 0,
    'not-run': 0,
    checks: { passed: 0, failed: 0, skipped: 0, 'not-judged': 0 },
  };
  for (const r of requirements) summary[r.status]++;
  for (const c of flatten(results)) summary.checks[c.status]++;
  // A requirement nobody could judge fails the gate unless the expectations file lists it: "passes" and "never looked" differ.
  const exitCode = summary.failed > 0 || summary['unexpected-pass'] > 0 || summary['not-judged'] > 0 ? 1 : 0;
  return { implementation, options, expectationsFile: expectations?.file, requirements, summary, exitCode, durationMs };
}

/** Every result with the defects its checks ran into before judging their own rule (each an earlier attempt, `retried`). */
export function flatten(results: readonly CheckResult[]): (CheckResult & { retried?: true })[] {
  return results.flatMap((r) => [...(r.ranInto ?? []).map((x) => ({ ...x, retried: true as const })), r]);
}

/** What kept a check from judging: the requirement whose defect was in the way, or the exclusion it needed. */
const inTheWay = (c: CheckResult): string => c.blockedBy ?? c.reason ?? 'unknown';
