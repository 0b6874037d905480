/**
 * Where `npm test`'s time goes, from the output of vitest's default reporter: seconds per test file (as vitest prints
 * them, hooks included) and the run's duration; given two outputs, both side by side. Measurement only, never a verdict.
 *
 *   CI=true npm test > before.log 2>&1;  (change something);  CI=true npm test > after.log 2>&1
 *   node --import tsx scripts/test-durations.ts before.log [after.log]
 */
import { readFileSync } from 'node:fs';

interface Durations {
  /** vitest's "Duration" line, in seconds (the whole run, collection and coverage included). */
  wall: number | undefined;
  files: Map<string, { seconds: number; failed: boolean }>;
}

/** A file's line: " ✓ test/a.test.ts (3 tests) 1234ms", with a project name before the path when there are projects. */
const FILE_LINE = /^ ([✓❯×]) +(?:\S+ +)?(test\/\S+\.test\.ts) \(.*?\) +(\d+)ms/;

function read(path: string): Durations {
  const lines = readFileSync(path, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const files = new Map<string, { seconds: number; failed: boolean }>();
  for (const l of lines) {
    const m = FILE_LINE.exec(l);
    if (m) files.set(m[2]!, { seconds: Number(m[3]) / 1000, failed: m[1] !== '✓' });
  }
  const d = lines.map((l) => /^\s*Duration\s+([\d.]+)s/.exec(l)).find(Boolean);
  return { wall: d ? Number(d[1]) : undefined, files };
}

const sum = (d: Durations) => [...d.files.values()].reduce((s, f) => s + f.seconds, 0);
const s = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));
const cell = (f?: { seconds: number; failed: boolean }) => `${s(f?.seconds)}${f?.failed ? ' (failed)' : ''}`;

const [beforePath, afterPath] = process.argv.slice(2);
if (!beforePath) {
  console.error('usage: node --import tsx scripts/test-durations.ts before.log [after.log]');
  process.exit(2);
}
const before = read(beforePath);
const after = afterPath ? read(afterPath) : undefined;
const latest = (n: string) => after?.files.get(n)?.seconds ?? before.files.get(n)?.seconds ?? 0;
const names = [...new Set([...before.files.keys(), ...(after?.files.keys() ?? [])])].sort((a, b) => latest(b) - latest(a));
const out: string[] = [];
if (after) {
  out.push('| file | before (s) | after (s) |\n|---|---:|---:|');
  for (const n of names) out.push(`| ${n} | ${cell(before.files.get(n))} | ${cell(after.files.get(n))} |`);
  out.push(`| **sum of file times** | ${s(sum(before))} | ${s(sum(after))} |\n| **vitest's Duration (wall)** | ${s(before.wall)} | ${s(after.wall)} |`);
} else {
  out.push('| file | seconds |\n|---|---:|');
  for (const n of names) out.push(`| ${n} | ${cell(before.files.get(n))} |`);
  out.push(`| **sum of file times** | ${s(sum(before))} |\n| **vitest's Duration (wall)** | ${s(before.wall)} |`);
}
// A reader that stops early (| head) is no error.
process.stdout.on('error', () => {});
process.stdout.write(`${out.join('\n')}\n`);
