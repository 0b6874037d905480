/** One failed check as text: the same block in the human report and in registerSuite's test errors. */
import type { CheckResult } from '../runner.js';
import { replayCommand, type ReplayTarget } from './replay.js';

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** The check, its message, the counterexample, the seed and path, and the command that replays it. */
export function failedCheckLines(c: CheckResult, target: ReplayTarget): string[] {
  const lines = [`check ${c.id}`, indent(c.message ?? '(no message)', '  ')];
  if (c.counterexample) lines.push(`  counterexample${c.shrunk ? ' (shrunk)' : c.whyNotShrunk ? ` (not shrunk: ${c.whyNotShrunk})` : ''}:`, indent(c.counterexample, '    '));
  if (c.seed !== undefined) lines.push(`  seed ${c.seed}${c.path ? `, path "${c.path}"` : ''}${c.replayPath ? `, replayPath "${c.replayPath}"` : ''}`);
  const replay = replayCommand(c, target);
  if (replay) lines.push(`  replay: ${replay}`);
  return lines;
}
