/**
 * From check results to the verdict: one status per requirement, expected failures applied, and
 * the exit code of the gate.
 */
import { changedSince, REQUIREMENTS } from '../spec/requirements.js';
import type { Capabilities } from '../spec/contract.js';
import type { Expectations } from './expectations.js';
import type { CheckResult } from './runner.js';

export type RequirementStatus = 'passed' | 'failed' | 'expected-failure' | 'unexpected-pass' | 'skipped' | 'not-run';

export interface RequirementResult {
  id: string;
  title: string;
  status: RequirementStatus;
  /** For expected failures and unexpected passes: what the expectations file says. */
  expectation?: { reason?: string };
  /** A failure of a requirement new or changed since the spec version the expectations file was written for. */
  upgrade?: string;
  checks: CheckResult[];
}

export interface Verdict {
  implementation: { name: string; capabilities: Capabilities; module?: string };
  options: { seed: number; runs: number; timeoutMs: number; only: string[] };
  expectationsFile?: string;
  requirements: RequirementResult[];
  summary: Record<RequirementStatus, number> & { checks: { passed: number; failed: number; skipped: number } };
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
  for (const r of results) {
    add(r.requirement, r);
    // A check that ran into another rule's defect did not judge its own: skipped there, saying where it went.
    if (r.ranIntoFrom) add(r.ranIntoFrom, { ...r, requirement: r.ranIntoFrom, status: 'skipped', reason: `not judged: it ran into a failure of ${r.requirement} first (reported there)` });
  }
  const requirements: RequirementResult[] = REQUIREMENTS.map((req) => {
    const checks = byReq.get(req.id) ?? [];
    const expected = expectations?.failures.get(req.id);
    let status: RequirementStatus;
    if (checks.length === 0) status = 'not-run';
    else if (checks.some((c) => c.status === 'failed')) status = expected ? 'expected-failure' : 'failed';
    else if (checks.every((c) => c.status === 'skipped')) status = 'skipped';
    else status = expected ? 'unexpected-pass' : 'passed';
    const upgrade = status === 'failed' && expectations?.specVersion !== undefined ? changedSince(req, expectations.specVersion) : null;
    return { id: req.id, title: req.title, status, ...(expected ? { expectation: { reason: expected.reason } } : {}), ...(upgrade ? { upgrade: `${upgrade} (${expectations!.file} was written for version ${expectations!.specVersion})` } : {}), checks };
  });
  const summary = {
    passed: 0,
    failed: 0,
    'expected-failure': 0,
    'unexpected-pass': 0,
    skipped: 0,
    'not-run': 0,
    checks: { passed: 0, failed: 0, skipped: 0 },
  };
  for (const r of requirements) summary[r.status]++;
  for (const c of results) summary.checks[c.status]++;
  const exitCode = summary.failed > 0 || summary['unexpected-pass'] > 0 ? 1 : 0;
  return { implementation, options, expectationsFile: expectations?.file, requirements, summary, exitCode, durationMs };
}
