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
 * `"notJudged": { "STR-ROUNDTRIP": { "reason": "…" } }` lists requirements no check can judge past a
 * known defect (the gate fails on one it does not list); `"avoid": ["nul", "op:session.clear"]` makes every
 * check run without those inputs or operations (spec: conformance/avoid.ts), reported as such.
 * `"specVersion": N` says which spec version the file was written for: a failure of a requirement new
 * or changed since then is reported as such (spec/requirements.ts `since`, `changed`).
 */
import { readFile } from 'node:fs/promises';
import { isRequirementId } from '../spec/requirements.js';
import { parseAvoid, type AvoidItem } from './avoid.js';

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
  /** Requirements known not to be judged here (`"notJudged"`): a defect of another rule is in their way. */
  notJudged?: Map<string, ExpectedFailure>;
  /** What every check runs without (`"avoid"`: input classes or op:<operation>), reported as such. */
  avoid?: AvoidItem[];
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
  const notJudged = entries((raw as { notJudged?: unknown }).notJudged, file, 'notJudged', mode);
  const avoidRaw = (raw as { avoid?: unknown }).avoid;
  let avoid: AvoidItem[] | undefined;
  if (avoidRaw !== undefined) {
    if (!Array.isArray(avoidRaw) || !avoidRaw.every((x) => typeof x === 'string')) throw new ExpectationsError(`${file}: "avoid" must be an array of input class names`);
    try {
      avoid = parseAvoid(avoidRaw, `"avoid" in ${file}`);
    } catch (e) {
      throw new ExpectationsError(`${file}: ${(e as Error).message}`);
    }
  }
  const implementation = (raw as { implementation?: unknown }).implementation;
  const specVersion = (raw as { specVersion?: unknown }).specVersion;
  if (specVersion !== undefined && (!Number.isInteger(specVersion) || (specVersion as number) < 1)) throw new ExpectationsError(`${file}: "specVersion" must be a whole number ≥ 1 (got ${JSON.stringify(specVersion)})`);
  return { file, implementation: typeof implementation === 'string' ? implementation : undefined, ...(specVersion !== undefined ? { specVersion: specVersion as number } : {}), failures, ...(notJudged.size ? { notJudged } : {}), ...(avoid ? { avoid } : {}) };
}

/** The entries of an optional section keyed by requirement ID ("notJudged"), for this run mode. */
function entries(raw: unknown, file: string, name: string, mode?: RunMode): Map<string, ExpectedFailure> {
  const out = new Map<string, ExpectedFailure>();
  if (raw === undefined) return out;
  if (Array.isArray(raw)) for (const id of raw) out.set(String(id), {});
  else if (raw && typeof raw === 'object') for (const [id, v] of Object.entries(raw)) out.set(id, (v && typeof v === 'object' ? v : { reason: String(v) }) as ExpectedFailure);
  else throw new ExpectationsError(`${file}: "${name}" must be an array of requirement IDs or an object keyed by them`);
  const unknown = [...out.keys()].filter((id) => !isRequirementId(id));
  if (unknown.length) throw new ExpectationsError(`${file}: unknown requirement ID(s) in "${name}": ${unknown.join(', ')}`);
  if (mode) for (const [id, f] of out) if (f.when?.isolation !== undefined && f.when.isolation !== mode) out.delete(id);
  return out;
}
