/** The report's section: Conditions. */
import { formatBytes, formatNs } from '../format.js';
import { table, type RenderContext } from './context.js';

export function renderConditions(ctx: RenderContext): void {
  const { perf, md, env } = ctx;
  md.push('## Conditions', '');
  md.push(
    table(
      ['', ''],
      [
        ['Date', env.date],
        ['Git commit', `${env.gitCommit ?? 'unknown'}${env.gitDirty ? ' (dirty)' : ''}`],
        ['CPU', `${env.cpuModel}, ${env.cores} cores`],
        ['Memory', formatBytes(env.memoryBytes)],
        ['OS', `${env.platform}, kernel ${env.kernel}`],
        ['Node / V8', `${env.node} / ${env.v8}`],
        ['Bench dir filesystem', `${env.filesystem} at ${env.benchDir}${env.mountOptions ? ` (mount options: ${env.mountOptions})` : ''}`],
        ['fsync', 'file (durable): fsync of the file and its directory per write; file-faithful: none (page cache); SQLite: synchronous=FULL; Redis: appendfsync always'],
        ['Load average (1/5/15 min)', `start ${env.loadAverageStart.map((x) => x.toFixed(2)).join(' / ')}, end ${env.loadAverageEnd.map((x) => x.toFixed(2)).join(' / ')}`],
        ['GC between tasks', env.exposeGc ? 'yes (--expose-gc)' : 'no (run without --expose-gc)'],
        ['Clock read overhead', formatNs(env.timerOverheadNs)],
        ['Run time', `${(perf.durationMs / 1000).toFixed(0)} s`],
        ['Checksum of results', String(perf.checksum)],
      ],
    ),
    '',
    'Other processes (for example test suites) may have been running on the same cores during the run; the load averages above show how busy the machine was. Absolute times are therefore noisy; the before/after ratios come from interleaved rounds so that load hits both sides alike.',
    '',
  );
}
