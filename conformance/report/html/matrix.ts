/** The matrix: requirements (rows, by section) × implementations (columns); each cell a button. */
import { describePersistence } from '../../../spec/persistence.js';
import { esc } from './escape.js';
import { cellReason, LOOK, type Column, type DashboardModel } from './model.js';
import { formatNs } from './perf.js';

const shorten = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function columnHeader(c: Column, perfHref?: string): string {
  const r = c.report;
  const s = r.summary;
  const pass = r.exitCode === 0;
  const caps = r.implementation.capabilities;
  const cost = c.cost
    ? `<div class="cost" title="typical time per call in the last benchmark, ${c.cost.keys} keys, ${c.cost.valueBytes}-byte values">ls.get <b>${esc(formatNs(c.cost.getNs))}</b><br>ls.set <b>${esc(formatNs(c.cost.setNs))}</b>${perfHref ? ` <a href="${esc(perfHref)}">perf</a>` : ''}</div>`
    : `<div class="cost none">not benchmarked</div>`;
  return `<th scope="col" class="impl" data-col="${c.key}">
  <div class="name" title="${esc(r.implementation.name)}">${esc(shorten(r.implementation.name, 40)).replace(/\//g, '/<wbr>')}</div>
  <div class="caps">${esc(describePersistence(caps.persistence))} · ${esc(caps.sharing)}</div>
  <div class="verdict ${pass ? 'ok' : 'bad'}">${pass ? '✓ PASS' : '✗ FAIL'}</div>
  <div class="counts"><span class="passed">✓${s.passed}</span> <span class="failed">✗${s.failed}</span> <span class="expected-failure">⊘${s['expected-failure']}</span>${s['unexpected-pass'] ? ` <span class="unexpected-pass">!${s['unexpected-pass']}</span>` : ''} <span class="skipped" title="skipped: not applicable">–${s.skipped}</span>${s['not-judged'] || s['expected-not-judged'] ? ` <span class="not-judged" title="not judged: a defect of another rule in the way">?${(s['not-judged'] ?? 0) + (s['expected-not-judged'] ?? 0)}</span>` : ''}</div>
  ${cost}
</th>`;
}

export function renderMatrix(m: DashboardModel, perfHref?: string): string {
  const head = `<thead><tr><th scope="col" class="req-head">requirement</th>${m.columns.map((c) => columnHeader(c, perfHref)).join('')}</tr></thead>`;
  const bodies = m.sections.map((s) => {
    const rows = s.rows.map((row) => {
      const cells = m.columns.map((c) => {
        const cell = m.cell(c, row);
        const look = LOOK[cell.status];
        const reason = cellReason(cell);
        return `<td data-col="${c.key}" class="${cell.status}"><button type="button" class="cell" data-detail="d-${esc(cell.key)}" data-status="${cell.status}" data-tip="${esc(shorten(reason, 160))}" title="${esc(reason)}" aria-label="${esc(`${row.id} on ${c.report.implementation.name}: ${look.label}. ${reason}`)}"><span class="glyph" aria-hidden="true">${look.glyph}</span> ${look.word}</button></td>`;
      });
      return `<tr data-req="${esc(row.id)}"><th scope="row" class="req"><code>${esc(row.id)}</code><span class="title">${esc(row.title)}</span></th>${cells.join('')}</tr>`;
    });
    return `<tbody data-section="${s.key}"><tr class="section"><th colspan="${m.columns.length + 1}" scope="colgroup">${esc(s.title)}</th></tr>${rows.join('\n')}</tbody>`;
  });
  return `<table class="matrix" id="matrix">${head}\n${bodies.join('\n')}</table>`;
}
