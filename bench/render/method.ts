/** The report's section: Method. */
import { formatBytes, formatCount, formatNs } from '../format.js';
import { mean, type RenderContext } from './context.js';

export function renderMethod(ctx: RenderContext): void {
  const { perf, md, ratio, env } = ctx;
  md.push('## Method', '');
  const c = perf.config;
  md.push(
    [
      `Every store is opened through the \`Implementation\` contract (\`open({ dir })\`) on a private directory under the bench dir and filled with the dataset; stores with an on-disk format (file, SQLite) are filled by writing that format and reopening (a restart), then checked to hold the dataset. Operations that shrink the store (remove, delete, clear) restore it after each batch, untimed.`,
      `Measured with tinybench 6: each iteration times a batch of calls (up to ${c.maxBatch}, sized so a batch lasts ≥ ${formatNs(c.targetBatchNs)}; slow calls get batch 1) between two clock reads and records the mean per call, so the ~${formatNs(env.timerOverheadNs)} clock read is spread over the batch. ${c.taskTimeMs} ms per task after ${c.warmupTimeMs} ms of warm-up; GC between tasks.`,
      `Typical time and throughput: throughput = 1 / typical time per call, where the typical time is the median of the batch means (robust to the long preemptions of a busy machine), except for a workload timed in batches of fewer than 20 calls, where it is the mean (the median of single calls would report only the most common kind of call). The tables also give the mean, which includes preemptions.`,
      'Every returned value is added into a checksum (reported above), so no call can be optimized away. Async stores (Redis) are flagged; each call is awaited before the next, so their numbers are round-trip latencies, not pipelined throughput.',
      'Floors: `floor/noop` (a store that does nothing: the harness cost per call) and `floor/map` (a bare Map without argument conversion).',
      `Ratios: ${c.ratioRounds} rounds at ${formatCount(c.ratioKeys)} keys, ${c.ratioTaskTimeMs} ms per store and task per round, before and after stores alternating (order reversed every other round); ratio of mean times, 95% percentile-bootstrap confidence interval resampling whole rounds (few rounds make this interval approximate).`,
      `Workloads: YCSB A/B/C/D/F over local storage with ${c.workloadValueBytes.map(formatBytes).join(' and ')} values at ${formatCount(c.workloadKeys)} keys (capped stores: their maximum); the operation stream is generated ahead of the timed batches from a seeded PRNG.`,
      'Write cost vs keys: `ls.set` on stores of growing size; ordinary least squares of mean time against keys.',
    ]
      .map((l) => `- ${l}`)
      .join('\n'),
    '',
  );
}
