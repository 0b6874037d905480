/**
 * The dashboard's script (inlined, plain ES2020, no libraries): the detail dialog, copying replay
 * commands, filters, and arrow-key movement between cells. The page is readable without it.
 */
export const PAGE_SCRIPT = String.raw`
(() => {
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => [...root.querySelectorAll(s)];
  const dialog = $('#detail');
  const body = $('#detail-body');
  const say = (text) => { $('#status').textContent = text; };
  let opener = null;

  function openDetail(cell) {
    const template = document.getElementById(cell.dataset.detail);
    if (!template) return;
    body.replaceChildren(template.content.cloneNode(true));
    opener = cell;
    dialog.showModal();
    $('button.close', dialog).focus();
  }
  dialog.addEventListener('close', () => { if (opener) opener.focus(); });
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  $('#matrix').addEventListener('click', (e) => {
    const cell = e.target.closest('button.cell');
    if (cell) openDetail(cell);
  });

  async function copy(button) {
    const code = $('.cmd', button.closest('.replay'));
    const text = code.textContent;
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (_) {
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
    }
    button.textContent = ok ? 'copied ✓' : 'select and copy';
    say(ok ? 'replay command copied' : 'copying is blocked here: the command is selected, press Ctrl+C');
    setTimeout(() => { button.textContent = 'copy'; }, 2000);
  }
  dialog.addEventListener('click', (e) => { const b = e.target.closest('button.copy'); if (b) copy(b); });
  $('button.close', dialog).addEventListener('click', () => dialog.close());

  const PROBLEM = new Set(['failed', 'expected-failure', 'unexpected-pass']);
  const form = $('form.filters');
  function apply() {
    const failuresOnly = $('#f-failures').checked;
    const section = $('#f-section').value;
    const impl = $('#f-impl').value;
    $$('[data-col]').forEach((el) => { el.hidden = impl !== '' && el.dataset.col !== impl; });
    let rows = 0;
    $$('tbody[data-section]').forEach((tb) => {
      let visible = 0;
      $$('tr[data-req]', tb).forEach((tr) => {
        const cells = $$('td[data-col]', tr).filter((td) => !td.hidden);
        const problem = cells.some((td) => PROBLEM.has($('button.cell', td).dataset.status));
        tr.hidden = (section !== '' && tb.dataset.section !== section) || (failuresOnly && !problem);
        if (!tr.hidden) visible++;
      });
      tb.hidden = visible === 0;
      rows += visible;
    });
    const cols = $$('th.impl').filter((th) => !th.hidden).length;
    $('#shown').textContent = 'showing ' + rows + ' requirement' + (rows === 1 ? '' : 's') + ' × ' + cols + ' implementation' + (cols === 1 ? '' : 's');
    $('#empty').hidden = rows !== 0;
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', (e) => e.preventDefault());
  apply();

  // Arrow keys move between visible cells; Home/End go to the ends of a row.
  $('#matrix').addEventListener('keydown', (e) => {
    const cell = e.target.closest('button.cell');
    if (!cell || !['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    const grid = $$('tr[data-req]').filter((tr) => !tr.hidden && !tr.parentElement.hidden)
      .map((tr) => $$('td[data-col]', tr).filter((td) => !td.hidden).map((td) => $('button.cell', td)));
    const r = grid.findIndex((row) => row.includes(cell));
    const c = grid[r].indexOf(cell);
    const moves = { ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, grid[r].length - 1] };
    const [nr, nc] = moves[e.key];
    const next = grid[nr] && grid[nr][nc];
    if (next) { next.focus(); e.preventDefault(); }
  });
})();
`;
