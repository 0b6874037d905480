/** A fault run in words: one formatter for the check's failure, its note and the report. */
import type { FaultRunResult, LostWrite } from './run.js';

const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const FAULT_WORDS = { pause: 'SIGSTOP of', kill: 'kill -9 of', isolate: 'partition of' } as const;

/** Lost writes by name: `"w:0:12" = "0.12" (client 0, acknowledged at 5.3 s)`, at most `max`. */
export function lostWritesText(lost: readonly LostWrite[], max = 20): string {
  const shown = lost.slice(0, max).map((l) => `${JSON.stringify(l.key)} = ${JSON.stringify(l.value)} (client ${l.client}, acknowledged at ${s(l.ackedAt)})`);
  return shown.join(', ') + (lost.length > max ? `, and ${lost.length - max} more` : '');
}

export function describeFaultRun(r: FaultRunResult): string {
  const w = r.writes;
  const pct = w.acknowledged ? ((100 * w.lost.length) / w.acknowledged).toFixed(1) : '0';
  const lines = [`${w.acknowledged} acknowledged unique writes, ${w.lost.length} lost (${pct}%), ${w.indeterminate} indeterminate (${w.indeterminateKept} of them kept), ${w.failed} failed; ${(r.durationMs / 1000).toFixed(0)} s, seed ${r.seed}`];
  for (const f of r.windows) {
    const n = f.ops.ok + f.ops.failed + f.ops.info;
    lines.push(
      `  ${FAULT_WORDS[f.fault]} the primary ${f.node}${f.clients.length ? ` with client ${f.clients.join(', ')}` : ''} for ${s(f.healedAt - f.injectedAt)}: failover after ${s(f.failoverMs)}; ` +
        `of ${n} operations called meanwhile ${f.ops.failed} failed and ${f.ops.info} ${f.ops.info === 1 ? 'was' : 'were'} indeterminate; converged ${s(f.convergeMs)} after heal`,
    );
  }
  if (r.incomplete) lines.push(`  incomplete: ${r.incomplete}`);
  return lines.join('\n');
}
