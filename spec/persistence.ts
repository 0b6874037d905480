/**
 * The persistence declaration, read in one place: what a store promises to keep across a restart,
 * a SIGKILL and a power cut, and which requirements follow from it. `durable` is the bounded promise
 * with a zero window that survives all three; `volatile` keeps nothing.
 */
import type { Persistence } from './contract.js';

export const FAILURES = ['restart', 'sigkill', 'powerloss'] as const;
export type Failure = (typeof FAILURES)[number];

/** A declaration in one shape: the loss window (Infinity for volatile) and the failures it covers. */
export interface PersistencePromise {
  readonly kind: 'volatile' | 'durable' | 'bounded';
  readonly windowMs: number;
  readonly survives: ReadonlySet<Failure>;
}

export function persistencePromise(p: Persistence): PersistencePromise {
  if (p === 'volatile') return { kind: 'volatile', windowMs: Infinity, survives: new Set() };
  if (p === 'durable') return { kind: 'durable', windowMs: 0, survives: new Set(FAILURES) };
  return { kind: 'bounded', windowMs: p.windowMs, survives: new Set(['restart', ...p.survives]) };
}

/** How a report names a declaration: "volatile", "durable", "bounded (100 ms; restart, sigkill)". */
export function describePersistence(p: Persistence): string {
  if (typeof p === 'string') return p;
  const promise = persistencePromise(p);
  return `bounded (${promise.windowMs} ms; ${[...promise.survives].join(', ')})`;
}

/** Why `p` is not a persistence declaration, or null. */
export function persistenceProblem(p: unknown): string | null {
  if (p === 'volatile' || p === 'durable') return null;
  const expected = 'capabilities.persistence must be "volatile", "durable" or { kind: "bounded", windowMs, survives: [...] }';
  if (p === null || typeof p !== 'object') return `${expected} (got ${JSON.stringify(p) ?? String(p)})`;
  const b = p as Record<string, unknown>;
  if (b.kind !== 'bounded') return `${expected} (got kind ${JSON.stringify(b.kind)})`;
  if (typeof b.windowMs !== 'number' || !Number.isFinite(b.windowMs) || b.windowMs < 0) return `persistence.windowMs must be a finite number of milliseconds ≥ 0 (got ${JSON.stringify(b.windowMs)})`;
  if (!Array.isArray(b.survives) || !b.survives.every((f) => (FAILURES as readonly unknown[]).includes(f))) {
    return `persistence.survives must be an array of ${FAILURES.map((f) => `"${f}"`).join(', ')} (got ${JSON.stringify(b.survives)})`;
  }
  return null;
}

/** The reason a requirement for `want` kinds is skipped under `p`, or null when it applies. */
export function unlessKind(p: Persistence, ...want: PersistencePromise['kind'][]): string | null {
  return want.includes(persistencePromise(p).kind) ? null : `declared persistence is ${typeof p === 'string' ? `"${p}"` : describePersistence(p)}`;
}

/** The reason a bounded store's check of failure `f` is skipped, or null when it declared surviving it. */
export function unlessSurvives(p: Persistence, f: Failure): string | null {
  const promise = persistencePromise(p);
  if (promise.kind !== 'bounded') return unlessKind(p, 'bounded');
  return promise.survives.has(f) ? null : `the bounded declaration does not cover ${f === 'powerloss' ? 'power loss (opt-in: survives: [..., "powerloss"])' : f}`;
}
