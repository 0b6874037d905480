/** The report's section: Note vs measured. */
import { formatCount, formatNs, formatRatio } from '../format.js';
import { barChart } from '../svg.js';
import type { OpName } from '../types.js';
import { NOTE_CLAIM, mean, table, type RenderContext } from './context.js';

export function renderNote(ctx: RenderContext): void {
  const { perf, md, charts, color, has, op, ratio, refKeys } = ctx;
  md.push('## The change note\'s table beside the measured one', '');
  const noteRow = (label: string, name: OpName) => {
    const r = ratio(name, 'file-faithful');
    const d = ratio(name, 'file');
    const before = r ? mean(r.beforeNs) : op('file-faithful', name, refKeys)?.meanNs;
    const after = r ? mean(r.afterNs) : op('memory', name, refKeys)?.meanNs;
    return [
      label,
      '~5 ms',
      '~0.001 ms',
      '~5000×',
      before !== undefined ? formatNs(before) : 'n/a',
      d ? formatNs(mean(d.beforeNs)) : 'n/a',
      after !== undefined ? formatNs(after) : 'n/a',
      r ? `${formatRatio(r.ratio)} (${formatRatio(r.ciLow)}–${formatRatio(r.ciHigh)})` : before && after ? formatRatio(before / after) : 'n/a',
      d ? `${formatRatio(d.ratio)} (${formatRatio(d.ciLow)}–${formatRatio(d.ciHigh)})` : 'n/a',
    ];
  };
  md.push(
    table(
      ['Operation', 'Note: before', 'Note: after', 'Note: improvement', 'Measured: truncate+write', 'Measured: fsync+rename', 'Measured: in-memory', 'Ratio vs truncate+write (95% CI)', 'Ratio vs fsync+rename (95% CI)'],
      [noteRow('Read (`ls.get`)', 'ls.get'), noteRow('Write (`ls.set`)', 'ls.set')],
    ),
    '',
    `Measured at ${formatCount(refKeys)} keys with ${perf.config.valueBytes}-byte values: time per call from JavaScript, the typical time per call (median of batch means) within each interleaved round, averaged over the rounds (see the next section).`,
    '',
  );
  const noteChartStores = ['file-faithful', 'file', 'memory'].filter(has);
  charts['note-vs-measured.svg'] = barChart({
    title: `Time per call: the note's claim vs measured (${formatCount(refKeys)} keys)`,
    categories: ['Read (ls.get)', 'Write (ls.set)'],
    series: [
      { name: 'note: before', color: '#bbbbbb', values: [NOTE_CLAIM.beforeNs, NOTE_CLAIM.beforeNs] },
      { name: 'note: after', color: '#777777', values: [NOTE_CLAIM.afterNs, NOTE_CLAIM.afterNs] },
      ...noteChartStores.map((id) => ({
        name: `measured: ${id}`,
        color: color.get(id),
        values: (['ls.get', 'ls.set'] as OpName[]).map((name) => {
          const r = ratio(name, 'file-faithful');
          if (r && id === 'memory') return mean(r.afterNs);
          const rb = ratio(name, id);
          return rb ? mean(rb.beforeNs) : op(id, name, refKeys)?.meanNs ?? null;
        }),
      })),
    ],
    axisLabel: 'time per call',
    format: formatNs,
    log: true,
  });
  md.push('![The note\'s claim vs measured](charts/note-vs-measured.svg)', '');
}
