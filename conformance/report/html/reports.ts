/**
 * Reading the JSON reports the CLI writes (docs/REPORT-FORMAT.md). Version 1 reports lack the
 * section, rule text and rationale of each requirement: they are filled in from this package's spec.
 */
import type { Persistence } from '../../../spec/contract.js';
import { isRequirementId, requirement } from '../../../spec/requirements.js';
import type { RequirementStatus } from '../../gate.js';
import type { CheckResult } from '../../runner.js';
import { specEntries } from '../spec-sections.js';

export interface ReportCheck extends CheckResult {
  replay?: string;
}

export interface ReportRequirement {
  id: string;
  title: string;
  status: RequirementStatus;
  section: string;
  text: string;
  rationale: string;
  expectation?: { reason?: string };
  /** Version 3: for a requirement not judged, the defects (requirement IDs) or exclusions in the way. */
  notJudgedBecause?: string[];
  checks: ReportCheck[];
}

export interface Report {
  schema: 'titan-storage-report/3';
  tool: { name: string; version: string };
  implementation: { name: string; capabilities: { persistence: Persistence; sharing: string }; module?: string };
  options: { seed: number; runs: number; timeoutMs: number; only: string[] };
  expectationsFile?: string;
  exitCode: number;
  durationMs: number;
  summary: Record<RequirementStatus, number>;
  requirements: ReportRequirement[];
}

export const SUPPORTED_SCHEMAS = ['titan-storage-report/1', 'titan-storage-report/2', 'titan-storage-report/3'];

export class ReportFormatError extends Error {}

/** Parse one report, from either supported version, into the current shape. */
export function readReport(text: string, source: string): Report {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ReportFormatError(`${source}: not JSON (${(e as Error).message})`);
  }
  if (!SUPPORTED_SCHEMAS.includes(raw.schema as string)) {
    throw new ReportFormatError(`${source}: schema ${JSON.stringify(raw.schema)} is not one of ${SUPPORTED_SCHEMAS.join(', ')}`);
  }
  if (!Array.isArray(raw.requirements) || typeof raw.implementation !== 'object' || raw.implementation === null) {
    throw new ReportFormatError(`${source}: missing "implementation" or "requirements"`);
  }
  const spec = specEntries();
  const requirements = (raw.requirements as ReportRequirement[]).map((r) => ({
    ...r,
    section: r.section || spec.get(r.id)?.section || 'Other',
    text: r.text || spec.get(r.id)?.text || r.title,
    rationale: r.rationale || (isRequirementId(r.id) ? requirement(r.id).rationale : ''),
    checks: r.checks ?? [],
  }));
  // Before version 3, a requirement whose checks all ran into another rule's defect was "skipped" with a "not judged" reason.
  const judged = requirements.map((r) => (r.status === 'skipped' && r.checks.length > 0 && r.checks.every((c) => c.reason?.startsWith('not judged')) ? { ...r, status: 'not-judged' as const } : r));
  const summary = { ...(raw.summary as Report['summary']) };
  summary['not-judged'] ??= judged.filter((r) => r.status === 'not-judged').length;
  summary['expected-not-judged'] ??= 0;
  if (raw.schema !== 'titan-storage-report/3') summary.skipped -= summary['not-judged'];
  return { ...(raw as unknown as Report), schema: 'titan-storage-report/3', summary, requirements: judged };
}
