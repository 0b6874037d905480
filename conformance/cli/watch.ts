/**
 * `check --watch`: run, then rerun whenever a file in the module's folder is saved, the last run's
 * failing checks first. A save during a run stops it and starts the next at once. On a terminal the
 * screen is cleared for each run, so the verdict table is redrawn in place.
 */
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Verdict } from '../gate.js';
import { dim } from '../report/human.js';
import type { CheckArgs, CheckRunHooks } from './main.js';
import { RunAborted } from './supervisor.js';

/** Folders whose changes are not the implementation's: dependencies, build output, version control. */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', '.cache']);
/** Editors' swap, backup and temporary files. */
const IGNORED_FILE = /(^|\/)(\.[^/]*|[^/]*~|[^/]*\.sw[a-p]|4913)$/;
/** Saves closer together than this are one change (an editor writes a file in several steps). */
const SETTLE_MS = 30;

export const failedCheckIds = (v: Verdict): string[] => [...new Set(v.requirements.flatMap((r) => r.checks.filter((c) => c.status === 'failed').map((c) => c.id)))];

/** Watch `folder`: the folder itself and, recursively, its subfolders but the ignored ones (a project's node_modules stays unwatched). */
function watchFolder(folder: string, onChange: (file: string) => void): FSWatcher[] {
  const watchers = [watch(folder, (_event, file) => file && onChange(String(file)))];
  for (const d of readdirSync(folder, { withFileTypes: true })) {
    if (!d.isDirectory() || IGNORED_DIRS.has(d.name) || d.name.startsWith('.')) continue;
    watchers.push(watch(join(folder, d.name), { recursive: true }, (_event, file) => file && onChange(join(d.name, String(file)))));
  }
  return watchers;
}

export async function watchChecks(args: CheckArgs, check: (args: CheckArgs, hooks: CheckRunHooks) => Promise<number>): Promise<number> {
  const folder = dirname(resolve(args.module!));
  const own = new Set([args.output, args.expect].filter((f): f is string => f !== undefined).map((f) => resolve(f)));
  const tty = process.stdout.isTTY === true;
  let failing: string[] = [];
  let controller = new AbortController();
  let changed: { file: string; at: number } | undefined;
  let wake: (() => void) | undefined;
  let settle: NodeJS.Timeout | undefined;
  const watchers = watchFolder(folder, (file) => {
    if (IGNORED_FILE.test(file) || own.has(join(folder, file)) || file.split('/').some((p) => IGNORED_DIRS.has(p))) return;
    const at = performance.now();
    clearTimeout(settle);
    settle = setTimeout(() => {
      changed = { file, at };
      controller.abort();
      wake?.();
    }, SETTLE_MS);
  });
  try {
    for (let run = 1; ; run++) {
      controller = new AbortController();
      if (tty) process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
      const cause = changed ? `${changed.file} changed; rerun ${Math.round(performance.now() - changed.at + SETTLE_MS)} ms after the save` : `watching ${relative(process.cwd(), folder) || '.'}`;
      console.log(dim(`── run ${run} · ${cause}${failing.length ? ` · ${failing.length} failing check${failing.length === 1 ? '' : 's'} first` : ''}`));
      changed = undefined;
      try {
        await check(args, { signal: controller.signal, first: failing, onVerdict: (v) => (failing = failedCheckIds(v)) });
      } catch (e) {
        if (e instanceof RunAborted) continue;
        // A module that does not load (a syntax error mid-edit) is reported and the watch goes on.
        console.log(`titan-storage: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (changed) continue;
      console.log(dim(`watching ${basename(folder)}/ for changes · Ctrl-C to stop`));
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    for (const w of watchers) w.close();
  }
}
