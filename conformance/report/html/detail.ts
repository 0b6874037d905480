/**
 * The detail of one cell, as a <template> the page shows in a dialog: the requirement's rule and
 * rationale, then per check its message, shrunk counterexample, seed, replay command and picture.
 */
import type { ReportCheck } from './reports.js';
import { crashSvg } from './crash-svg.js';
import { esc, inlineMarkdown } from './escape.js';
import { historySvg } from './history-svg.js';
import { cellReason, LOOK, type Column, type DashboardModel, type Row } from './model.js';

/** The picture of a check's witness, or ''. `id` keeps the SVG's internal ids unique on the page. */
export function witnessSvg(c: ReportCheck, implementation: string, id: string): string {
  const w = c.witness;
  if (!w) return '';
  const title = `${c.requirement} · ${implementation} · ${c.id}`;
  return w.kind === 'history' ? historySvg(w, title, id) : crashSvg(w, title, id);
}

function checkBlock(c: ReportCheck, col: Column, id: string): string {
  const parts = [`<h3><code>${esc(c.id)}</code> <span class="st ${c.status}">${esc(c.status)}</span></h3>`];
  if (c.status === 'skipped') parts.push(`<p>${esc(c.reason ?? '')}</p>`);
  if (c.status === 'passed') parts.push(`<p class="muted">${esc(c.title)} · ${Math.round(c.durationMs)} ms</p>`);
  if (c.status !== 'failed') return `<section class="check">${parts.join('')}</section>`;
  parts.push(`<p class="muted">${esc(c.title)}</p>`, `<h4>what happened</h4><pre class="message">${esc(c.message ?? '(no message)')}</pre>`);
  const picture = witnessSvg(c, col.report.implementation.name, id);
  if (picture) {
    const link = col.svgLinks.get(c.id);
    parts.push(`<h4>${c.witness!.kind === 'crash' ? 'the crash' : 'the history'}, drawn${link ? ` <a href="${esc(link)}">(.svg file)</a>` : ''}</h4><div class="picture">${picture}</div>`);
  }
  if (c.counterexample) parts.push(`<h4>counterexample${c.shrunk === false ? ' (not shrunk: each attempt would wait out the timeout)' : ' (shrunk)'}</h4><pre class="counterexample">${esc(c.counterexample)}</pre>`);
  if (c.seed !== undefined) parts.push(`<p class="seed">seed <code>${c.seed}</code>${c.path ? `, path <code>${esc(c.path)}</code>` : ''}${c.replayPath ? `, replayPath <code>${esc(c.replayPath)}</code>` : ''}</p>`);
  if (c.replay) {
    parts.push(`<h4>replay</h4><div class="replay"><code class="cmd">${esc(c.replay)}</code><button type="button" class="copy" aria-label="copy the replay command">copy</button></div>`);
  }
  return `<section class="check failed">${parts.join('')}</section>`;
}

const ORDER = { failed: 0, passed: 1, 'not-judged': 2, skipped: 3 } as const;
const checksFailedFirst = (checks: readonly ReportCheck[]) => [...checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);

export function renderDetail(m: DashboardModel, col: Column, row: Row): string {
  const cell = m.cell(col, row);
  const look = LOOK[cell.status];
  const r = cell.req;
  const body: string[] = [
    `<p class="where"><span class="st ${cell.status}">${look.glyph} ${esc(look.label)}</span> on <b>${esc(col.report.implementation.name)}</b> <span class="muted">(${esc(col.source)}, seed ${col.report.options.seed})</span></p>`,
    `<h2 id="dlg-title"><code>${esc(row.id)}</code> ${esc(row.title)}</h2>`,
    `<p class="rule">${inlineMarkdown(row.text)}</p>`,
    row.rationale ? `<p class="why"><b>Why:</b> ${esc(row.rationale)}</p>` : '',
  ];
  if (cell.status === 'expected-failure' || cell.status === 'unexpected-pass') {
    body.push(`<p class="expectation"><b>Listed as an expected failure</b>${col.report.expectationsFile ? ` in <code>${esc(col.report.expectationsFile)}</code>` : ''}${r?.expectation?.reason ? `: ${esc(r.expectation.reason)}` : ''}</p>`);
  }
  if (!r || r.checks.length === 0) body.push(`<p>${esc(cellReason(cell))}</p>`);
  else checksFailedFirst(r.checks).forEach((c, i) => body.push(checkBlock(c, col, `w-${cell.key}-${i}`)));
  return `<template id="d-${esc(cell.key)}">${body.join('\n')}</template>`;
}

export function renderDetails(m: DashboardModel): string {
  return m.columns.flatMap((col) => m.sections.flatMap((s) => s.rows.map((row) => renderDetail(m, col, row)))).join('\n');
}
