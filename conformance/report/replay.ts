/** The copy-paste command that replays one failed check exactly. */
import type { CheckResult } from '../runner.js';
import { avoidName } from '../avoid.js';

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ReplayTarget {
  /** How the implementation was named on the command line: a module path, or --driver "<cmd>". */
  module?: string;
  driver?: string;
  isolation?: string;
  timeoutMs?: number;
}

export function replayCommand(r: CheckResult, target: ReplayTarget): string | undefined {
  if (r.status !== 'failed' || r.seed === undefined) return undefined;
  const parts = ['npx', 'titan-storage', 'check'];
  if (target.driver !== undefined) parts.push('--driver', shellQuote(target.driver));
  else if (target.module !== undefined) parts.push(shellQuote(target.module));
  if (target.isolation && target.isolation !== 'inline') parts.push('--isolation', target.isolation);
  parts.push('--only', shellQuote(r.id), '--seed', String(r.seed));
  if (r.path) parts.push('--path', shellQuote(r.path));
  if (r.replayPath) parts.push('--replay-path', shellQuote(r.replayPath));
  // A failure found while stepping around other defects replays only with the same avoidance.
  if (r.avoided?.length) parts.push('--avoid', shellQuote(r.avoided.map((i) => avoidName(i.avoid)).join(',')));
  if (target.timeoutMs !== undefined) parts.push('--timeout', String(target.timeoutMs));
  return parts.join(' ');
}
