/**
 * Expected-failures files (WPT/test262 style): requirement IDs an implementation is known to fail.
 * Listed failures do not fail the gate; a listed requirement that now passes does, so the file
 * stays honest.
 *
 * Format (JSON):
 *   { "implementation": "…", "expectedFailures": { "LS-GET-MISSING": { "reason": "…", "counterexample": "…" } } }
 * or, shortest: { "expectedFailures": ["LS-GET-MISSING"] }
 */
import { readFile } from 'node:fs/promises';
import { isRequirementId } from '../spec/requirements.js';

export interface ExpectedFailure {
  reason?: string;
  counterexample?: string;
  replay?: string;
}

export interface Expectations {
  file: string;
  implementation?: string;
  failures: Map<string, ExpectedFailure>;
}

export class ExpectationsError extends Error {}

export async function loadExpectations(file: string): Promise<Expectations> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ExpectationsError(`cannot read expectations file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseExpectations(raw, file);
}

export function parseExpectations(raw: unknown, file = '(inline)'): Expectations {
  const ef = (raw as { expectedFailures?: unknown } | null)?.expectedFailures;
  const failures = new Map<string, ExpectedFailure>();
  if (Array.isArray(ef)) {
    for (const id of ef) failures.set(String(id), {});
  } else if (ef && typeof ef === 'object') {
    for (const [id, v] of Object.entries(ef)) failures.set(id, (v && typeof v === 'object' ? v : { reason: String(v) }) as ExpectedFailure);
  } else {
    throw new ExpectationsError(`${file}: expected an object with "expectedFailures" (an array of requirement IDs or an object keyed by them)`);
  }
  const unknown = [...failures.keys()].filter((id) => !isRequirementId(id));
  if (unknown.length) throw new ExpectationsError(`${file}: unknown requirement ID(s) ${unknown.join(', ')}`);
  const implementation = (raw as { implementation?: unknown }).implementation;
  return { file, implementation: typeof implementation === 'string' ? implementation : undefined, failures };
}
