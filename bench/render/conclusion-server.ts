/** The conclusion's bullets on the real server: what the change buys a request, beside what it buys a store call, and why they differ. */
import { formatCount, formatNs, formatRatio } from '../format.js';
import { fitLine } from '../stats.js';
import { NOTE_CLAIM, mean, type RenderContext } from './context.js';
import { ROLE_NAME, formatCi, serverView } from './server-data.js';
import { memoryGrowth } from './server-memory.js';

export function serverConclusion(ctx: RenderContext): string[] {
  const bench = ctx.perf.server;
  if (!bench) return [`**The real server** was not measured in this run${ctx.perf.serverSkipped ? ` (${ctx.perf.serverSkipped})` : ''}; the bullets below are store calls from JavaScript only.`];
  const v = serverView(bench);
  const before = v.byRole('before');
  const tmpfs = v.byRole('before-tmpfs');
  const published = v.byRole('published');
  const after = v.byRole('after');
  if (!before || !after) return [`**The real server**: the before or the fixed after library was not measured (${bench.libraries.filter((l) => l.skipped).map((l) => `${l.id}: ${l.skipped}`).join('; ')}).`];
  const { config } = bench;
  const keys = config.sizes.includes(ctx.refKeys) ? ctx.refKeys : config.sizes[Math.floor(config.sizes.length / 2)]!;
  const cell = (lib: string, e: 'noop' | 'ls.get' | 'ls.set' | 'session.set', k = keys) => v.cell(lib, e, k);
  const cpu = (lib: string, e: 'noop' | 'ls.get' | 'ls.set' | 'session.set', k = keys) => v.median(cell(lib, e, k), 'cpuNs');
  const rps = (lib: string, e: 'noop' | 'ls.get' | 'ls.set' | 'session.set', k = keys) => v.median(cell(lib, e, k), 'rps');
  const wallNs = (lib: string, e: 'ls.set' | 'ls.get', k = keys) => v.median(cell(lib, e, k), 'latencyUs') * 1000;
  const bullets: string[] = [];

  const setRps = v.ratio(cell(after.id, 'ls.set'), cell(before.id, 'ls.set'), 'rps');
  const setCpu = v.ratio(cell(before.id, 'ls.set'), cell(after.id, 'ls.set'), 'cpuNs');
  const sesRps = v.ratio(cell(after.id, 'session.set'), cell(before.id, 'session.set'), 'rps');
  const getRps = v.ratio(cell(after.id, 'ls.get'), cell(before.id, 'ls.get'), 'rps');
  const bySize = config.sizes
    .map((k) => `${formatCi(v.ratio(cell(after.id, 'ls.set', k), cell(before.id, 'ls.set', k), 'rps'))} at ${formatCount(k)} keys`)
    .join(', ');
  bullets.push(
    `**What the change buys a request in the real server** (titan-server 7.0.1, the same app and requests, only the storage library swapped; ${formatCount(keys)} stored keys): ` +
      `a request doing one \`t.ls.set\` is served at ${formatCount(rps(before.id, 'ls.set'))}/s on the before${published ? `, ${formatCount(rps(published.id, 'ls.set'))}/s on @titanpl/core 3.0.7` : ''} and ${formatCount(rps(after.id, 'ls.set'))}/s on the fixed after (medians), ${formatCi(setRps)} the requests/s (fixed after ÷ before, 95% CI); ` +
      `it costs ${formatNs(cpu(before.id, 'ls.set'))} vs ${formatNs(cpu(after.id, 'ls.set'))} of server CPU, ${formatCi(setCpu)}. ` +
      `One \`t.session.set\`: ${formatCi(sesRps)} the requests/s. One \`t.ls.get\`: ${formatCi(getRps)}${getRps && getRps.low <= 1 && getRps.high >= 1 ? ', no measurable difference' : ''} — the before served reads from memory too. ` +
      `By store size, write requests/s fixed after ÷ before: ${bySize}.`,
  );

  const jsBefore = ctx.ratio('ls.set', 'file-faithful');
  const noopCpu = cpu(after.id, 'noop');
  if (jsBefore) {
    const callBefore = mean(jsBefore.beforeNs);
    const callAfter = mean(jsBefore.afterNs);
    bullets.push(
      `**Why a request gains far less than a store call.** From JavaScript, the faithful truncate-and-write store's \`ls.set\` costs ${formatNs(callBefore)} and the in-memory one ${formatNs(callAfter)}: ${formatRatio(jsBefore.ratio)} (below). ` +
        `In the server every request also pays for HTTP, the router and entering a V8 isolate: a no-op action costs ${formatNs(noopCpu)} of server CPU here, so even a free store could make a write request at most about ` +
        `${formatRatio((noopCpu + callBefore) / noopCpu)} cheaper ((no-op + before's write) ÷ no-op). What the storage call adds to a request in the server (CPU over the no-op) is ${formatNs(cpu(before.id, 'ls.set') - cpu(before.id, 'noop'))} on the before and ` +
        `${formatNs(cpu(after.id, 'ls.set') - noopCpu)} on the fixed after (at or below the resolution of /proc's CPU clock; negative is noise).`,
    );
  }

  if (tmpfs) {
    const t = v.ratio(cell(after.id, 'ls.set'), cell(tmpfs.id, 'ls.set'), 'rps');
    const tc = v.ratio(cell(tmpfs.id, 'ls.set'), cell(after.id, 'ls.set'), 'cpuNs');
    bullets.push(
      `**The page cache, fsync and the file system.** The before never calls fsync, so nothing waits for the disk by design; what a rewrite costs depends on where the file is. ` +
        `With its working directory on tmpfs (memory only) a write request is ${formatCi(t)} slower in requests/s than on the fixed after (CPU ${formatCi(tc)}); on ${before.workDirFs ?? 'the disk'} it is ${formatCi(setRps)}. ` +
        'Without any fsync, ext4 still allocates and journals the new blocks of every rewrite, and starts writing a truncated-and-rewritten file back when it is closed (`auto_da_alloc`, Documentation/admin-guide/ext4.rst), which the next truncate can wait for: ' +
        'the page cache absorbs the rewrite fully only on tmpfs. Which of these dominates is not measured here. ' +
        `A write request on ext4 took ${formatNs(wallNs(before.id, 'ls.set'))} from the client's side (median latency, ${config.connections} connections) vs ${formatNs(wallNs(tmpfs.id, 'ls.set'))} on tmpfs.`,
    );
  }

  // The note's ~5 ms: per read, never; per write, depends on the store's size and the file system.
  const fitOf = (lib: string) => {
    const pts = config.writeSizes.map((k) => [k, cpu(lib, 'ls.set', k)] as const).filter(([, y]) => Number.isFinite(y));
    return pts.length >= 2 ? fitLine(pts.map((p) => p[0]), pts.map((p) => p[1])) : undefined;
  };
  const fit = fitOf(before.id);
  const at5ms = fit && fit.slope > 0 ? (NOTE_CLAIM.beforeNs - fit.intercept) / fit.slope : NaN;
  const largest = config.writeSizes.at(-1)!;
  bullets.push(
    `**Where the note's ~5 ms is and is not.** Not for reads: the before read from memory (a \`t.ls.get\` request, above). ` +
      `For writes it depends on the store's size: a \`t.ls.set\` request on the before costs ${formatNs(cpu(before.id, 'ls.set', config.writeSizes[0]!))} of server CPU at ${formatCount(config.writeSizes[0]!)} keys and ${formatNs(cpu(before.id, 'ls.set', largest))} at ${formatCount(largest)}` +
      (Number.isFinite(at5ms) && at5ms > 0 ? `; ~5 ms of CPU per write is reached at about ${formatCount(Number(at5ms.toPrecision(2)))} keys of ${config.valueBytes} B` : '') +
      `, and its wall time per write request on ext4 was ${formatNs(wallNs(before.id, 'ls.set', largest))} at ${formatCount(largest)} keys. ` +
      `The note's "~0.001 ms" after is about right for the map (the JavaScript store: ${formatNs(ctx.op('memory', 'ls.set', ctx.refKeys)?.p50Ns ?? NaN)}), but no request costs that: the no-op request alone is ${formatNs(noopCpu)} of CPU. ` +
      `**The note is wrong** on reads (~5 ms, ~5000×: reads were never slow), and its ~1000–5000× describes a store call, not what a user's request gains (${formatRatio(setRps?.ratio ?? NaN)} for a write request at ${formatCount(keys)} keys here).`,
  );

  const conc = config.concurrency.at(-1)!;
  const cr = v.ratio(v.cell(after.id, 'ls.get', config.concurrencyKeys, conc), v.cell(before.id, 'ls.get', config.concurrencyKeys, conc), 'rps');
  if (cr) {
    bullets.push(
      `**"Better concurrency: multiple simultaneous readers"**: with ${conc} concurrent \`t.ls.get\` connections the RwLock after serves ${formatCi(cr)} the requests/s of the Mutex before. ` +
        (cr.low <= 1 && cr.high >= 1 ? 'No measurable difference: a read holds the lock for a lookup and a copy, a tiny part of a request, so readers hardly ever wait for one another.' : ''),
    );
  }

  const curves = v.libraries
    .map((l) => ({ l, g: memoryGrowth(bench.memory.find((m) => m.library === l.id)?.points ?? []) }))
    .filter((c) => c.g !== undefined)
    .map(({ l, g }) => `${ROLE_NAME[l.role]} ${g!.slope.toFixed(2)} MiB per million operations (${g!.levels ? 'levels off' : l.returnedStrings === 'caller-frees' ? 'a leak: its returned strings are the caller\'s to free, and the 7.0.1 bridge never frees them' : 'a leak'})`);
  if (curves.length) bullets.push(`**Memory** in the server (resident memory over the second half of millions of storage operations): ${curves.join('; ')}.`);
  return bullets;
}
