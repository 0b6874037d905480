/**
 * Expected-failures files (WPT/test262 style): requirement IDs an implementation is known to fail.
 * Listed failures do not fail the gate; a listed requirement that now passes does, so the file
 * stays honest.
 *
 * Format (JSON):
 *   { "implementation": "…", "expectedFailures": { "LS-GET-MISSING": { "reason": "…", "counterexample": "…" } } }
 * or, shortest: { "expectedFailures": ["LS-GET-MISSING"] }
 *
 * One file per implementation covers every run mode: an entry with `"when": { "isolation": "inline" }`
 * is expected only in that mode (WPT's conditional expectations); without `when`, in every mode.
 * `"specVersion": N` says which spec version the file was written for: a failure of a requirement new
 * or changed since then is reported as such (spec/requirements.ts `since`, `changed`).
 */
import { readFile } from 'node:fs/promises';
import { isRequirementId } from '../spec/requirements.js';

/** How the store is run: in this process's supervised worker, or behind a driver process. */
export type RunMode = 'inline' | 'process';

export interface ExpectedFailure {
  reason?: string;
  check?: string;
  /** Expected only when run this way. */
  when?: { isolation?: RunMode };
  counterexample?: string;
  replay?: string;
}

export interface Expectations {
  file: string;
  implementation?: string;
  /** The spec version the file was written for (`"specVersion"`), when it says. */
  specVersion?: number;
  failures: Map<string, ExpectedFailure>;
}

export class ExpectationsError extends Error {}

export async function loadExpectations(file: string, mode?: RunMode): Promise<Expectations> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ExpectationsError(`cannot read expectations file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseExpectations(raw, file, mode);
}

/** Parse an expectations file; with `mode`, only the entries that apply to that run mode are kept. */
export function parseExpectations(raw: unknown, file = '(inline)', mode?: RunMode): Expectations {
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
  const badWhen = [...failures].filter(([, f]) => f.when?.isolation !== undefined && f.when.isolation !== 'inline' && f.when.isolation !== 'process');
  if (badWhen.length) throw new ExpectationsError(`${file}: "when.isolation" must be "inline" or "process" (${badWhen.map(([id]) => id).join(', ')})`);
  if (mode) for (const [id, f] of failures) if (f.when?.isolation !== undefined && f.when.isolation !== mode) failures.delete(id);
  const implementation = (raw as { implementation?: unknown }).implementation;
  const specVersion = (raw as { specVersion?: unknown }).specVersion;
  if (specVersion !== undefined && (!Number.isInteger(specVersion) || (specVersion as number) < 1)) throw new ExpectationsError(`${file}: "specVersion" must be a whole number ≥ 1 (got ${JSON.stringify(specVersion)})`);
  return { file, implementation: typeof implementation === 'string' ? implementation : undefined, ...(specVersion !== undefined ? { specVersion: specVersion as number } : {}), failures };
}
