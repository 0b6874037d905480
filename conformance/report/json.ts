/** Machine-readable report: the whole verdict, with replay commands (format: docs/REPORT-FORMAT.md). */
import { requirement, SPEC_VERSION } from '../../spec/requirements.js';
import type { Verdict } from '../gate.js';
import { replayCommand, type ReplayTarget } from './replay.js';
import { specEntries } from './spec-sections.js';

export const JSON_SCHEMA_ID = 'titan-storage-report/3';

export function renderJson(v: Verdict, target: ReplayTarget, tool: { name: string; version: string }): string {
  return JSON.stringify(
    {
      schema: JSON_SCHEMA_ID,
      tool,
      spec: { version: SPEC_VERSION },
      implementation: v.implementation,
      options: v.options,
      expectationsFile: v.expectationsFile,
      exitCode: v.exitCode,
      durationMs: Math.round(v.durationMs),
      summary: v.summary,
      requirements: v.requirements.map((r) => ({
        ...r,
        section: specEntries().get(r.id)?.section ?? '',
        text: specEntries().get(r.id)?.text ?? r.title,
        rationale: requirement(r.id).rationale,
        since: requirement(r.id).since ?? 1,
        ...(requirement(r.id).changed ? { changed: requirement(r.id).changed } : {}),
        checks: r.checks.map((c) => ({ ...c, durationMs: Math.round(c.durationMs), replay: replayCommand(c, target) })),
      })),
    },
    null,
    2,
  );
}
