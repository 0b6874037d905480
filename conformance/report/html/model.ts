/**
 * What the dashboard shows, computed once from the reports: columns (implementations), rows
 * (requirements, grouped by the spec's sections, in the spec's order) and one cell per pair.
 */
import { REQUIREMENTS } from '../../../spec/requirements.js';
import type { RequirementStatus } from '../../gate.js';
import { costFor, type PerfSummary, type StoreCost } from './perf.js';
import type { Report, ReportRequirement } from './reports.js';

export interface Column {
  /** Unique, safe in ids: "c0", "c1", … */
  readonly key: string;
  readonly report: Report;
  /** Where the report came from (a file name), for the reader. */
  readonly source: string;
  readonly cost?: StoreCost;
  /** Relative links to the witness pictures written beside the report, by check id. */
  readonly svgLinks: ReadonlyMap<string, string>;
}

export interface Row {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly text: string;
  readonly rationale: string;
}

export interface Section {
  readonly key: string;
  readonly title: string;
  readonly rows: Row[];
}

export interface Cell {
  readonly key: string;
  readonly status: RequirementStatus;
  readonly req?: ReportRequirement;
  /** Requirements that this requirement's own checks failed instead (a hang during it fails API-TIMELY). */
  readonly creditedTo: string[];
  readonly filtered: boolean;
}

export interface DashboardModel {
  readonly columns: Column[];
  readonly sections: Section[];
  cell(column: Column, row: Row): Cell;
  readonly perf?: PerfSummary;
}

export interface Source {
  readonly report: Report;
  readonly source: string;
  readonly svgLinks?: ReadonlyMap<string, string>;
}

export const PROBLEM: ReadonlySet<RequirementStatus> = new Set(['failed', 'expected-failure', 'unexpected-pass']);

export function buildModel(sources: readonly Source[], perf?: PerfSummary): DashboardModel {
  const columns: Column[] = sources.map((s, i) => ({
    key: `c${i}`,
    report: s.report,
    source: s.source,
    cost: costFor(perf, s.report.implementation.module),
    svgLinks: s.svgLinks ?? new Map(),
  }));
  const byColumn = columns.map((c) => new Map(c.report.requirements.map((r) => [r.id, r])));
  // Rows in the spec's order; requirements only some (newer or older) reports know come after.
  const known = REQUIREMENTS.map((r) => r.id);
  const ids = [...new Set([...known, ...columns.flatMap((c) => c.report.requirements.map((r) => r.id))])];
  const sections: Section[] = [];
  for (const id of ids) {
    const first = byColumn.map((m) => m.get(id)).find((r) => r !== undefined);
    if (!first) continue;
    const row: Row = { id, title: first.title, section: first.section, text: first.text, rationale: first.rationale };
    let section = sections.find((s) => s.title === row.section);
    if (!section) sections.push((section = { key: `s${sections.length}`, title: row.section, rows: [] }));
    section.rows.push(row);
  }
  return {
    columns,
    sections,
    perf,
    cell(column, row) {
      const req = byColumn[columns.indexOf(column)]!.get(row.id);
      const status = req?.status ?? 'not-run';
      const creditedTo =
        status === 'not-run' ? [...new Set(column.report.requirements.filter((r) => r.checks.some((c) => c.id.startsWith(`${row.id}/`) && c.requirement !== row.id)).map((r) => r.id))] : [];
      return { key: `${column.key}-${row.id}`, status, req, creditedTo, filtered: column.report.options.only.length > 0 };
    },
  };
}

/** How a status looks: a glyph and a word (never colour alone). */
export const LOOK: Record<RequirementStatus, { glyph: string; word: string; label: string }> = {
  passed: { glyph: '✓', word: 'pass', label: 'passed' },
  failed: { glyph: '✗', word: 'FAIL', label: 'failed' },
  'expected-failure': { glyph: '⊘', word: 'known', label: 'expected failure' },
  'unexpected-pass': { glyph: '!', word: 'fixed?', label: 'unexpected pass' },
  skipped: { glyph: '–', word: 'skip', label: 'skipped (not applicable)' },
  'not-judged': { glyph: '?', word: 'not judged', label: 'not judged' },
  'expected-not-judged': { glyph: '?', word: 'known n/j', label: 'not judged (listed in the expectations file)' },
  'not-run': { glyph: '·', word: 'n/a', label: 'not checked in this run' },
};

/** One line saying why a cell is what it is (tooltip and accessible name). */
export function cellReason(cell: Cell): string {
  const r = cell.req;
  if (!r) return 'this report has no result for this requirement';
  const checks = r.checks;
  const failed = checks.filter((c) => c.status === 'failed');
  const first = failed[0]?.message?.split('\n')[0];
  switch (cell.status) {
    case 'passed':
      return `${checks.filter((c) => c.status === 'passed').length} of ${checks.length} checks passed`;
    case 'failed':
      return first ?? 'failed';
    case 'expected-failure':
      return `expected${r.expectation?.reason ? `: ${r.expectation.reason}` : ''} — ${first ?? 'failed'}`;
    case 'unexpected-pass':
      return 'listed as an expected failure, but it passes now: remove it from the expectations file';
    case 'skipped':
      return [...new Set(checks.map((c) => c.reason).filter(Boolean))].join('; ') || 'skipped';
    case 'not-judged':
    case 'expected-not-judged':
      return `not judged: ${(r.notJudgedBecause ?? []).join(', ') || 'a defect of another rule'} in the way — ${[...new Set(checks.filter((c) => c.status === 'not-judged').map((c) => c.reason))].join('; ')}`;
    case 'not-run':
      if (cell.creditedTo.length) return `its check failed ${cell.creditedTo.join(', ')} instead, so this requirement has no verdict`;
      return cell.filtered ? 'not checked: this run was limited with --only' : 'no check of this requirement ran';
  }
}
