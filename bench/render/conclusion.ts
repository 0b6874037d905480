/** The report's section: Conclusion. */
import { formatCount, formatNs, formatRate, formatRatio } from '../format.js';
import type { OpResult, RatioResult } from '../types.js';
import { LINEAR_R2, NOTE_CLAIM, mean, verdict, type RenderContext } from './context.js';
import { serverConclusion } from './conclusion-server.js';

/** The shared store's own before/after report (bench/shared-store/run.ts). */
const SHARED_STORE_LINK = '**The shared store, before and after** its per-isolate read cache, per-session chains and shrinking buffers, beside a raw Map and the native store: [shared-store.md](shared-store.md) (`npm run bench:shared`).';

export function renderConclusion(ctx: RenderContext): void {
  const { speedup, perf, md, storeById, has, op, ratio, refKeys } = ctx;
  md.push('## Conclusion', '');
  md.push(...serverConclusion(ctx).map((b) => `- ${b}`), '', '**A store call from JavaScript** (the stores of this repository, no server):', '');
  const bullets: string[] = [];
  const read = ratio('ls.get', 'file-faithful');
  const write = ratio('ls.set', 'file-faithful');
  const writeDurable = ratio('ls.set', 'file');
  const ci = (r: RatioResult) => `${formatRatio(r.ratio)} (95% CI ${formatRatio(r.ciLow)}–${formatRatio(r.ciHigh)})`;
  if (read) {
    bullets.push(
      `**Reads** (\`ls.get\`, ${formatCount(read.keys)} keys): file-backed ${formatNs(mean(read.beforeNs))} vs in-memory ${formatNs(mean(read.afterNs))} per call, ${ci(read)} — ${verdict(read)}.` +
        (read.ciHigh < 10 ? ' The file-backed design loads the file once and serves reads from its in-memory map; only writes touch the disk, so a read never cost ~5 ms.' : ''),
    );
  }
  if (write) {
    bullets.push(
      `**Writes** (\`ls.set\`, ${formatCount(write.keys)} keys): truncate+write ${formatNs(mean(write.beforeNs))} vs in-memory ${formatNs(mean(write.afterNs))}, ${ci(write)} — ${verdict(write)}.` +
        (writeDurable ? ` With fsync+rename (durable) a write costs ${formatNs(mean(writeDurable.beforeNs))}: ${ci(writeDurable)}.` : ''),
    );
  }
  const fits = perf.writeScaling.filter((w) => w.fit && w.store !== 'memory');
  for (const w of fits) {
    const f = w.fit!;
    const first = w.points[0]!;
    const last = w.points[w.points.length - 1]!;
    const mem = perf.writeScaling.find((x) => x.store === 'memory');
    const memAt = (k: number) => mem?.points.find((p) => p.keys === k)?.meanNs;
    const span = memAt(first.keys) && memAt(last.keys) ? ` (${formatRatio(first.meanNs / memAt(first.keys)!)} the in-memory write at ${formatCount(first.keys)} keys, ${formatRatio(last.meanNs / memAt(last.keys)!)} at ${formatCount(last.keys)})` : '';
    const measured = `${formatNs(first.meanNs)} at ${formatCount(first.keys)} keys, ${formatNs(last.meanNs)} at ${formatCount(last.keys)}${span}`;
    if (f.slopeNsPerKey > 0 && f.r2 >= LINEAR_R2) {
      const at5ms = (NOTE_CLAIM.beforeNs - f.interceptNs) / f.slopeNsPerKey;
      bullets.push(
        `**Write cost grows with the store** (${w.store}): about ${formatNs(f.slopeNsPerKey)} per key already stored (least-squares slope, R² ${f.r2.toFixed(3)}): ${measured}. ` +
          (at5ms > last.keys ? `The note's "~5 ms per operation" would be reached at about ${formatCount(Number(at5ms.toPrecision(2)))} keys of ${perf.config.valueBytes} B here.` : at5ms > 0 ? `The note's "~5 ms per operation" matches a store of about ${formatCount(Number(at5ms.toPrecision(2)))} keys of ${perf.config.valueBytes} B here.` : 'Even a nearly empty store costs more than the note\'s ~5 ms per write here.'),
      );
    } else {
      bullets.push(`**Write cost vs store size** (${w.store}): no clear linear growth in this run (slope ${formatNs(f.slopeNsPerKey)}/key, R² ${f.r2.toFixed(2)}): ${measured}; at these sizes the fixed cost and the machine's noise dominate.`);
    }
  }
  const memGet = op('memory', 'ls.get', refKeys);
  const memSet = op('memory', 'ls.set', refKeys);
  const noop = op('floor/noop', 'ls.get', refKeys);
  if (memGet && memSet) {
    bullets.push(
      `**The "after" store** typically (median) costs ${formatNs(memGet.p50Ns)} per \`ls.get\` and ${formatNs(memSet.p50Ns)} per \`ls.set\` from JavaScript (${formatCount(refKeys)} keys), against the note's ~${formatNs(NOTE_CLAIM.afterNs)}` +
        (noop ? `; the harness itself (a no-op store) accounts for ${formatNs(noop.p50Ns)} of that` : '') +
        '.',
    );
  }
  const titan = [op('titanpl-core', 'ls.get', refKeys), op('titanpl-core', 'ls.set', refKeys)];
  if (titan[0] && titan[1] && memGet && memSet) {
    bullets.push(
      `**The real @titanpl/core native store** (its RwLock<HashMap> called through FFI) typically costs ${formatNs(titan[0].p50Ns)} per get and ${formatNs(titan[1].p50Ns)} per set: ${formatRatio(titan[0].p50Ns / memGet.p50Ns)} and ${formatRatio(titan[1].p50Ns / memSet.p50Ns)} the pure-JS in-memory store${titan[0].p50Ns > 3 * memGet.p50Ns ? ' — crossing into native code (and converting strings) costs more than the map itself' : ''}.`,
    );
  }
  const wlA = (store: string) => perf.workloads.find((w) => w.store === store && w.workload === 'A' && w.distribution === 'zipfian' && w.valueBytes === perf.config.valueBytes);
  const aBefore = wlA('file-faithful');
  const aAfter = wlA('memory');
  const wlC = (store: string) => perf.workloads.find((w) => w.store === store && w.workload === 'C' && w.distribution === 'zipfian' && w.valueBytes === perf.config.valueBytes);
  const cBefore = wlC('file-faithful');
  const cAfter = wlC('memory');
  if (aBefore && aAfter) {
    bullets.push(
      `**Mixed workloads** (YCSB, zipfian, ${formatCount(aBefore.keys)} keys, ${aBefore.valueBytes} B values): with 50% updates (A) ${formatRate(aBefore.opsPerSec)} file-backed vs ${formatRate(aAfter.opsPerSec)} in-memory (${formatRatio(aAfter.opsPerSec / aBefore.opsPerSec)})` +
        (cBefore && cAfter ? `; read-only (C) ${formatRate(cBefore.opsPerSec)} vs ${formatRate(cAfter.opsPerSec)} (${formatRatio(cAfter.opsPerSec / cBefore.opsPerSec)}).` : '.'),
    );
  }
  // Durability trade-off.
  const durableWrites = ['file', 'sqlite', 'redis']
    .map((id) => ({ id, r: op(id, 'ls.set', refKeys) }))
    .filter((x): x is { id: string; r: OpResult } => x.r !== undefined)
    .map((x) => `${x.id} ${formatNs(x.r.p50Ns)}`);
  const growth = ['file-faithful', 'file', 'sqlite', 'redis']
    .map((id) => {
      const sets = perf.operations.filter((o) => o.store === id && o.op === 'ls.set').sort((a, b) => a.keys - b.keys);
      const [a, b] = [sets[0], sets[sets.length - 1]];
      return a && b && a !== b ? `${id} ${formatRatio(b.p50Ns / a.p50Ns)} (${formatNs(a.p50Ns)} at ${formatCount(a.keys)} keys → ${formatNs(b.p50Ns)} at ${formatCount(b.keys)})` : null;
    })
    .filter((x): x is string => x !== null);
  bullets.push(
    `**Durability** is what the speed buys: the in-memory store loses everything on restart; the original truncate+write store is not crash-safe either (a crash mid-write leaves an empty or partial file). ` +
      (durableWrites.length ? `Durable writes at ${formatCount(refKeys)} keys typically cost: ${durableWrites.join(', ')}.` : 'No durable store was measured.') +
      (growth.length ? ` How the typical write cost changes from the smallest to the largest store measured: ${growth.join('; ')}. The file stores rewrite everything; SQLite and Redis write only the changed entry.` : ''),
  );
  // Sharing.
  const memSpeed = speedup('memory');
  const shared = perf.scaling.filter((s) => s.mode === 'shared' && s.isolates === 2).map((s) => `${formatRatio(speedup(s.store)!)} for ${s.store}`);
  bullets.push(
    `**Sharing**: the note's store is per process, but each TitanPL request runs in its own isolate; a plain per-isolate map (reference/memory) shares nothing between isolates.` +
      (memSpeed ? ` Reading with 2 isolates instead of 1 multiplies the total read throughput by ${formatRatio(memSpeed)} for private per-isolate maps (nothing shared: the best case)` : '') +
      (shared.length ? `, and by ${shared.join(', ')}, which the isolates share (see "Read scaling" for the conditions).` : '.') +
      (memSpeed !== undefined && memSpeed < 1.2
        ? ` Even private maps did not scale here: the second isolate found no free core on this busy machine, so this run says little about how the stores scale.`
        : '') +
      (has('shared') ? '' : ` The shared-memory store was not measured (${storeById.get('shared')?.skipped ?? 'not registered'}).`),
  );
  bullets.push(SHARED_STORE_LINK);
  md.push(...bullets.map((b) => `- ${b}`), '');
}
