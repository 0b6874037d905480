/**
 * The whole dashboard page: one self-contained HTML file (inline style, script and pictures; no
 * network, works from file://) from the reports of one or several runs.
 */
import { renderDetails } from './detail.js';
import { esc } from './escape.js';
import { renderMatrix } from './matrix.js';
import { LOOK, PROBLEM, type DashboardModel } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_CSS } from './page-style.js';

export interface PageOptions {
  /** When the page was made (ISO string). */
  readonly generatedAt: string;
  /** Relative links from the page to the perf report and its charts. */
  readonly perfReport?: string;
  readonly perfCharts?: readonly { title: string; href: string }[];
}

function perfLine(m: DashboardModel, o: PageOptions): string {
  if (!m.perf) return '<p class="perf muted">No benchmark results (reports/perf.json) were given: costs are not shown.</p>';
  const when = m.perf.date ? ` of ${esc(m.perf.date.slice(0, 10))}` : '';
  const commit = m.perf.commit ? ` (commit <code>${esc(m.perf.commit.slice(0, 10))}</code>)` : '';
  const charts = (o.perfCharts ?? []).map((c) => `<a href="${esc(c.href)}">${esc(c.title)}</a>`).join(' · ');
  return `<p class="perf">Under each implementation: its typical <code>ls.get</code> / <code>ls.set</code> time per call from the benchmark${when}${commit}${m.perf.quick ? ', a quick run' : ''}. ${o.perfReport ? `<a href="${esc(o.perfReport)}">Performance report</a>` : ''}${charts ? ` · charts: ${charts}` : ''}</p>`;
}

export function renderPage(m: DashboardModel, o: PageOptions): string {
  const reqs = m.sections.reduce((n, s) => n + s.rows.length, 0);
  const count = (st: string) => m.columns.reduce((n, c) => n + c.report.requirements.filter((r) => r.status === st).length, 0);
  const failing = m.columns.filter((c) => c.report.exitCode !== 0).length;
  const problems = m.columns.reduce((n, c) => n + c.report.requirements.filter((r) => PROBLEM.has(r.status)).length, 0);
  const tools = [...new Set(m.columns.map((c) => `${c.report.tool.name} ${c.report.tool.version}`))].join(', ');
  const legend = (Object.keys(LOOK) as (keyof typeof LOOK)[]).map((k) => `<li><span class="st ${k}">${LOOK[k].glyph} ${esc(LOOK[k].word)}</span> ${esc(LOOK[k].label)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TitanPL storage conformance</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>TitanPL storage conformance</h1>
<p class="meta">${m.columns.length} implementation${m.columns.length === 1 ? '' : 's'} × ${reqs} requirements of <code>spec/SPEC.md</code> · generated ${esc(o.generatedAt)} by ${esc(tools)}</p>
<ul class="summary" aria-label="totals">
<li class="${failing ? 'bad' : ''}">${failing} of ${m.columns.length} failing the gate</li>
<li>${count('passed')} passed</li><li class="${count('failed') ? 'bad' : ''}">${count('failed')} failed</li><li>${count('expected-failure')} expected failures</li>${count('unexpected-pass') ? `<li class="bad">${count('unexpected-pass')} unexpected passes</li>` : ''}<li>${count('skipped')} skipped</li>
</ul>
<ul class="legend" aria-label="legend">${legend}</ul>
<form class="filters" aria-label="filters">
<label><input type="checkbox" id="f-failures"> failures only (${problems})</label>
<label>section <select id="f-section"><option value="">all sections</option>${m.sections.map((s) => `<option value="${s.key}">${esc(s.title)}</option>`).join('')}</select></label>
<label>implementation <select id="f-impl"><option value="">all implementations</option>${m.columns.map((c) => `<option value="${c.key}">${esc(c.report.implementation.name)}</option>`).join('')}</select></label>
<span id="shown" aria-live="polite"></span>
</form>
${perfLine(m, o)}
</header>
<main>
<p id="empty" hidden>Nothing to show: no failures under these filters.</p>
${renderMatrix(m, o.perfReport)}
<p class="muted">Click a cell (or Tab to it, arrow keys to move, Enter to open) for the requirement, the checks, and for failures the message, shrunk counterexample, seed and replay command.</p>
</main>
<footer>Sources: ${m.columns.map((c) => `<code>${esc(c.source)}</code>`).join(', ')}. Report format: <code>titan-storage-report/2</code> (docs/REPORT-FORMAT.md).</footer>
<dialog id="detail" aria-labelledby="dlg-title">
<div class="dlg-bar"><button type="button" class="close">close (Esc)</button></div>
<div id="detail-body"></div>
</dialog>
<div id="status" class="sr-only" role="status" aria-live="polite"></div>
${renderDetails(m)}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
