/** The dashboard's stylesheet (inlined: the page needs no other file). */
export const PAGE_CSS = `
:root { --pass:#166534; --pass-bg:#dcfce7; --fail:#991b1b; --fail-bg:#fee2e2; --xf:#92400e; --xf-bg:#fef3c7; --up:#6b21a8; --up-bg:#f3e8ff; --skip:#4b5563; --skip-bg:#f3f4f6; --nj:#1e3a8a; --nj-bg:#e0e7ff; --focus:#2563eb; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111827; margin: 0; background: #f9fafb; }
header, main, footer { padding: 0 24px; }
header { background: #fff; border-bottom: 1px solid #e5e7eb; padding-top: 14px; padding-bottom: 12px; }
h1 { font-size: 20px; margin: 0 0 4px; }
code, pre, .cmd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted, .meta { color: #4b5563; }
.meta { margin: 0 0 8px; }
.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; padding: 0; list-style: none; }
.summary li { background: #f3f4f6; border-radius: 999px; padding: 2px 10px; }
.summary li.bad { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 6px 0; padding: 0; list-style: none; font-size: 13px; }
.legend span.st { min-width: 5.5em; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; margin: 10px 0 2px; }
form.filters label { display: inline-flex; gap: 6px; align-items: center; }
select, input[type=checkbox] { font: inherit; }
select { padding: 2px 4px; }
#shown { color: #4b5563; }
.perf { margin: 6px 0 0; font-size: 13px; }
main { padding-top: 14px; padding-bottom: 24px; }
table.matrix { border-collapse: separate; border-spacing: 0; background: #fff; border: 1px solid #e5e7eb; }
.matrix th, .matrix td { border-bottom: 1px solid #eef0f3; padding: 3px 6px; text-align: left; vertical-align: middle; }
.matrix thead th { position: sticky; top: 0; background: #fff; z-index: 2; border-bottom: 2px solid #d1d5db; vertical-align: bottom; }
th.impl { min-width: 128px; max-width: 170px; font-weight: normal; }
th.impl .name { font-weight: 700; overflow-wrap: break-word; }
th.impl .caps, th.impl .cost { color: #4b5563; font-size: 12px; }
th.impl .cost.none { color: #9ca3af; }
th.impl .counts { font-size: 12px; white-space: nowrap; }
.counts .passed { color: var(--pass); } .counts .failed { color: var(--fail); } .counts .expected-failure { color: var(--xf); } .counts .unexpected-pass { color: var(--up); } .counts .skipped { color: var(--skip); } .counts .not-judged { color: var(--nj); }
.verdict { display: inline-block; font-size: 12px; font-weight: 700; border-radius: 4px; padding: 0 6px; margin: 2px 0; }
.verdict.ok { background: var(--pass-bg); color: var(--pass); } .verdict.bad { background: var(--fail-bg); color: var(--fail); }
tr.section th { background: #eef2f7; font-size: 13px; font-weight: 700; color: #1f2937; padding: 5px 8px; }
th.req { font-weight: normal; min-width: 330px; max-width: 460px; }
th.req code { font-weight: 700; margin-right: 8px; }
th.req .title { color: #4b5563; font-size: 12.5px; }
td { position: relative; }
button.cell { font: inherit; font-size: 12.5px; width: 100%; min-width: 84px; border: 1px solid transparent; border-radius: 5px; padding: 3px 6px; cursor: pointer; text-align: left; white-space: nowrap; }
button.cell .glyph { display: inline-block; width: 1.1em; font-weight: 700; text-align: center; }
td.passed button.cell { background: var(--pass-bg); color: var(--pass); }
td.failed button.cell { background: var(--fail-bg); color: var(--fail); font-weight: 700; border-color: #fca5a5; }
td.expected-failure button.cell { background: var(--xf-bg); color: var(--xf); border-color: #fcd34d; }
td.unexpected-pass button.cell { background: var(--up-bg); color: var(--up); font-weight: 700; border-color: #d8b4fe; }
td.skipped button.cell { background: var(--skip-bg); color: var(--skip); }
td.not-judged button.cell, td.expected-not-judged button.cell { background: repeating-linear-gradient(45deg, var(--nj-bg), var(--nj-bg) 4px, #fff 4px, #fff 8px); color: var(--nj); border-color: #a5b4fc; }
td.not-run button.cell { background: #fff; color: #9ca3af; border-color: #e5e7eb; }
button.cell:hover { filter: brightness(0.96); border-color: #6b7280; }
button:focus-visible, a:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
button.cell:focus-visible::after { content: attr(data-tip); position: absolute; left: 0; top: 100%; z-index: 5; width: max-content; max-width: 380px; white-space: normal; background: #111827; color: #fff; font-weight: normal; font-size: 12px; padding: 5px 8px; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.st { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px; font-weight: 600; }
.st.passed { background: var(--pass-bg); color: var(--pass); } .st.failed { background: var(--fail-bg); color: var(--fail); } .st.expected-failure { background: var(--xf-bg); color: var(--xf); } .st.unexpected-pass { background: var(--up-bg); color: var(--up); } .st.not-judged, .st.expected-not-judged { background: var(--nj-bg); color: var(--nj); } .st.skipped, .st.not-run { background: var(--skip-bg); color: var(--skip); }
dialog#detail { width: min(1180px, 94vw); max-height: 92vh; border: 0; border-radius: 10px; padding: 0; box-shadow: 0 12px 40px rgba(0,0,0,.35); }
dialog#detail::backdrop { background: rgba(17,24,39,.45); }
.dlg-bar { position: sticky; top: 0; display: flex; justify-content: flex-end; background: #fff; padding: 8px 12px 0; }
#detail-body { padding: 0 22px 20px; }
#detail-body h2 { font-size: 17px; margin: 4px 0 6px; }
#detail-body h3 { font-size: 14px; margin: 16px 0 4px; border-top: 1px solid #e5e7eb; padding-top: 10px; }
#detail-body h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #4b5563; margin: 12px 0 4px; }
#detail-body h4 a { text-transform: none; letter-spacing: 0; }
.rule { margin: 4px 0; } .why { margin: 4px 0; color: #374151; }
.expectation { background: var(--xf-bg); color: #78350f; padding: 4px 8px; border-radius: 4px; }
pre { background: #f3f4f6; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 0; white-space: pre; }
pre.message { white-space: pre-wrap; background: var(--fail-bg); border-color: #fecaca; color: #7f1d1d; }
.picture { overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 6px; background: #fff; }
.picture svg { display: block; }
.replay { display: flex; gap: 8px; align-items: flex-start; }
.replay .cmd { flex: 1; display: block; background: #111827; color: #f9fafb; padding: 8px 10px; border-radius: 6px; overflow-wrap: anywhere; user-select: all; }
button.copy, button.close { font: inherit; border: 1px solid #9ca3af; background: #fff; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
button.copy:hover, button.close:hover { background: #f3f4f6; }
footer { color: #6b7280; font-size: 12px; padding-bottom: 24px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
#empty { background: var(--pass-bg); color: var(--pass); padding: 8px 12px; border-radius: 6px; display: inline-block; }
`;
