// The dashboard in-process: witnesses from checker results, the pictures, reading reports, the page's
// markup, and the files the builder and the CLI write. (The page in a real browser: dashboard-browser.test.ts.)
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseCheckArgs } from '../../conformance/cli/main.js';
import { buildDashboard, svgPathFor } from '../../conformance/report/html/build.js';
import { crashSvg } from '../../conformance/report/html/crash-svg.js';
import { historySvg } from '../../conformance/report/html/history-svg.js';
import { buildModel, cellReason } from '../../conformance/report/html/model.js';
import { renderPage } from '../../conformance/report/html/page.js';
import { costFor, formatNs, summarizePerf } from '../../conformance/report/html/perf.js';
import { readReport, ReportFormatError } from '../../conformance/report/html/reports.js';
import { specEntries } from '../../conformance/report/spec-sections.js';
import { linearizabilityWitness, SequentialHistory, type CrashWitness } from '../../conformance/report/witness.js';
import { stuckOperation } from '../../conformance/linearizability/checker.js';
import { REQUIREMENTS } from '../../spec/requirements.js';
import { checkStorageHistory, type StorageOperation } from '../../conformance/linearizability/storage.js';
import { cli, ROOT } from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/dashboard');
const FIXTURE_NAMES = ['memory', 'lost-update', 'composite-session-key', 'file-faithful', 'stale-cache'];
const fixture = (name: string) => readReport(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'), `${name}.json`);

const scratch = mkdtempSync(join(tmpdir(), 'titan-dashboard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// isolate 0 sets a and returns; later isolate 1 reads a and gets null; isolate 2 writes b meanwhile.
const lost: StorageOperation[] = [
  { client: 0, input: { op: 'ls.set', key: 'a', value: '1' }, output: undefined, call: 0, ret: 1 },
  { client: 2, input: { op: 'ls.set', key: 'b', value: '<b>' }, output: undefined, call: 2, ret: 5 },
  { client: 1, input: { op: 'ls.get', key: 'a' }, output: null, call: 3, ret: 4 },
];

describe('witnesses', () => {
  it('stuckOperation is the completed operation outside the longest linearization that returns first', () => {
    const [a, b, c] = lost as [StorageOperation, StorageOperation, StorageOperation];
    expect(stuckOperation(lost, [a])).toBe(c);
    expect(stuckOperation(lost, [a, c])).toBe(b);
    expect(stuckOperation(lost, lost)).toBeUndefined();
  });

  it('a non-linearizable history becomes lanes, a linearization, the stuck read and other operations as context', () => {
    const w = linearizabilityWitness(checkStorageHistory(lost), (c) => `isolate ${c}`, lost)!;
    expect(w.lanes).toEqual(['isolate 0', 'isolate 1', 'isolate 2']);
    const stuck = w.ops[w.stuck!]!;
    expect(stuck).toMatchObject({ input: 'ls.get("a")', output: 'null' });
    expect(w.linearization.map((i) => w.ops[i]!.input)).toEqual(['ls.set("a", "1")']);
    expect(w.ops.filter((o) => o.context).map((o) => o.input)).toEqual(['ls.set("b", "<b>")']);
    expect(linearizabilityWitness(checkStorageHistory(lost.slice(0, 2)), String)).toBeUndefined();
  });

  it('a race mutant\'s report carries the witness as data and, unchanged, as the terminal timeline', () => {
    const check = fixture('lost-update').requirements.find((r) => r.id === 'LIN-LINEARIZABLE')!.checks[0]!;
    expect(check.witness).toMatchObject({ kind: 'history', stuck: expect.any(Number) });
    expect(check.counterexample).toMatch(/not linearizable: these \d+ operations[^]*Bars show call\.\.return[^]*isolate \d \|/);
  });

  it('long values are cut in labels, saying their length', () => {
    const h = new SequentialHistory(['isolate 0', 'isolate 1']);
    h.record(0, { op: 'ls.set', key: 'k', value: 'v'.repeat(5000) });
    h.record(1, { op: 'ls.get', key: 'k' }, null);
    const w = h.witness('"v…"');
    expect(w.ops[0]!.input).toContain('(5000 chars)');
    expect(w.ops[0]!.input.length).toBeLessThan(70);
    expect(w).toMatchObject({ stuck: 1, linearization: [0] });
  });
});

describe('pictures', () => {
  it('a history: one lane per isolate, numbered path, stuck operation marked, text escaped, ids prefixed', () => {
    const w = linearizabilityWitness(checkStorageHistory(lost), (c) => `isolate ${c}`, lost)!;
    const svg = historySvg(w, 'LIN <x>', 'p1');
    for (const lane of w.lanes) expect(svg).toContain(`>${lane}</text>`);
    expect(svg.match(/<g class="op stuck">/g)).toHaveLength(1);
    expect(svg).toContain('✗ ls.get(&quot;a&quot;) → null');
    expect(svg).toContain('LIN &lt;x&gt;');
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).not.toMatch(/id="(?!p1-)/);
    expect(svg).toMatch(/<circle [^>]*\/><text [^>]*>1<\/text>/);
  });

  it('a crash: acknowledged writes, the kill, and what came back', () => {
    const w: CrashWitness = { kind: 'crash', round: 2, kills: 6, killAfterMs: 175, writeMs: 228, acked: ['ls.set("a", write #4 (10 chars))'], inflight: 'ls.set("s1", write #5 (567 chars))', after: ['the store could not be opened: SyntaxError'] };
    const svg = crashSvg(w, 'CRASH', 'c1');
    expect(svg).toContain('✓ acknowledged');
    expect(svg).toContain('in flight, cut by the kill');
    expect(svg).toContain('SIGKILL 175.0 ms after sending write 2');
    expect(svg).toContain('✗ the store could not be opened: SyntaxError');
  });
});

describe('reports and the page', () => {
  it('SPEC.md gives every requirement a section and its rule text', () => {
    const spec = specEntries();
    for (const r of REQUIREMENTS) {
      expect(spec.get(r.id)?.section, r.id).toMatch(/^\d+\. /);
      expect(spec.get(r.id)?.text, r.id).toMatch(/MUST/);
    }
  });

  it('reads version 1 and 2 reports and rejects others', () => {
    const v2 = readFileSync(join(FIXTURES, 'memory.json'), 'utf8');
    const v1 = JSON.parse(v2);
    v1.schema = 'titan-storage-report/1';
    for (const r of v1.requirements) for (const k of ['section', 'text', 'rationale']) delete r[k];
    const upgraded = readReport(JSON.stringify(v1), 'v1.json');
    expect(upgraded.requirements.find((r) => r.id === 'SES-CLEAR')).toMatchObject({ section: '4. Sessions', rationale: expect.stringMatching(/Prefix/) });
    expect(() => readReport(JSON.stringify({ ...v1, schema: 'titan-storage-report/9' }), 'x.json')).toThrow(ReportFormatError);
    expect(() => readReport('{', 'broken.json')).toThrow(/broken.json: not JSON/);
  });

  it('the perf summary gives each benchmarked module its ls.get and ls.set cost at 1 000 keys', () => {
    const perf = summarizePerf(JSON.parse(readFileSync(join(ROOT, 'reports/perf.json'), 'utf8')));
    const memory = costFor(perf, './reference/memory.ts')!;
    expect(memory.keys).toBe(1000);
    expect(memory.getNs).toBeGreaterThan(0);
    expect(costFor(perf, 'mutants/race/lost-update.ts')).toBeUndefined();
    expect([formatNs(120), formatNs(2_500_000), formatNs(undefined)]).toEqual(['0.12 µs', '2.5 ms', 'n/a']);
  });

  it('the page has a cell per implementation and requirement, a detail per cell, replay commands and pictures', () => {
    const sources = FIXTURE_NAMES.map((n) => ({ report: fixture(n), source: `${n}.json` }));
    const html = renderPage(buildModel(sources), { generatedAt: 'now' });
    // The fixtures were written by a run of the spec at that time: the page shows the requirements they report.
    const reported = new Set(sources.flatMap((s) => s.report.requirements.map((r) => r.id))).size;
    expect(reported).toBeLessThanOrEqual(REQUIREMENTS.length);
    expect(html.match(/<button type="button" class="cell"/g)).toHaveLength(sources.length * reported);
    expect(html.match(/<template id="d-/g)).toHaveLength(sources.length * reported);
    const lostUpdate = fixture('lost-update').requirements.find((r) => r.id === 'LIN-LINEARIZABLE')!.checks[0]!;
    expect(html).toContain(lostUpdate.replay!.replace(/'/g, '&#39;'));
    expect(html).toContain('<g class="op stuck">');
    expect(html).toContain('class="crash"');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
    expect(html).toContain('No benchmark results');
  });

  it('a cell without a verdict says why: a run limited with --only, or its check failed another requirement', () => {
    const hung = fixture('memory');
    const volatile = hung.requirements.find((r) => r.id === 'PERSIST-VOLATILE')!;
    const timely = hung.requirements.find((r) => r.id === 'API-TIMELY')!;
    timely.checks.push({ ...volatile.checks[0]!, requirement: 'API-TIMELY', status: 'failed', message: 'timeout' });
    volatile.checks = [];
    volatile.status = 'not-run';
    const m = buildModel([{ report: fixture('stale-cache'), source: 's.json' }, { report: hung, source: 'h.json' }]);
    const row = m.sections.flatMap((s) => s.rows).find((r) => r.id === 'PERSIST-VOLATILE')!;
    expect(cellReason(m.cell(m.columns[0]!, row))).toMatch(/limited with --only/);
    expect(cellReason(m.cell(m.columns[1]!, row))).toBe('its check failed API-TIMELY instead, so this requirement has no verdict');
  });
});

describe('files', () => {
  it('the builder writes the page and every witness picture beside its report', async () => {
    const dir = join(scratch, 'build');
    cpSync(FIXTURES, dir, { recursive: true });
    const inputs = FIXTURE_NAMES.map((n) => join(dir, `${n}.json`));
    const { svgs } = await buildDashboard({ inputs, output: join(dir, 'site/index.html'), perf: join(ROOT, 'reports/perf.json') });
    expect(svgs).toContain(svgPathFor(join(dir, 'lost-update.json'), 'LIN-LINEARIZABLE/property'));
    expect(svgs).toContain(svgPathFor(join(dir, 'stale-cache.json'), 'SHARE-VISIBLE/property'));
    for (const f of svgs) expect(readFileSync(f, 'utf8')).toMatch(/^<\?xml[^]*<svg [^]*<\/svg>\n$/);
    const html = readFileSync(join(dir, 'site/index.html'), 'utf8');
    expect(html).toContain('href="../lost-update.LIN-LINEARIZABLE-property.svg"');
    expect(html).toMatch(/href="\.\.\/\.\.\/[^"]*reports\/perf\.md"/);
    expect(html).toMatch(/ls\.get <b>[\d.]+ µs<\/b>/);
  });

  it('check --reporter html writes the page of one run and the failure\'s picture beside it', () => {
    const page = join(scratch, 'one/page.html');
    const r = cli(['check', 'mutants/race/stale-cache.ts', '--only', 'SHARE-VISIBLE', '--seed', '3', '--reporter', 'html', '--output', page]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('mutant/race/stale-cache');
    expect(html).toContain('--only SHARE-VISIBLE/property --seed 3');
    expect(readFileSync(join(scratch, 'one/page.SHARE-VISIBLE-property.svg'), 'utf8')).toContain('<g class="op stuck">');
  }, 240_000);

  it('titan-storage dashboard builds one page from several reports', async () => {
    const dir = join(scratch, 'cli');
    cpSync(FIXTURES, dir, { recursive: true });
    const log = console.log;
    const lines: string[] = [];
    console.log = (s: string) => void lines.push(s);
    try {
      expect(await main(['dashboard', join(dir, 'memory.json'), join(dir, 'lost-update.json'), '-o', join(dir, 'out/index.html')])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines.join('\n')).toMatch(/dashboard of 2 reports written to .*index\.html \(\+ 1 \.svg beside the reports\)/);
    expect(readFileSync(join(dir, 'out/index.html'), 'utf8').match(/<th scope="col" class="impl"/g)).toHaveLength(2);
  });

  it('the CLI: dashboard needs existing reports; --reporter html needs --output', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (s: string) => void errors.push(s);
    try {
      expect(await main(['dashboard'])).toBe(2);
      expect(await main(['dashboard', join(scratch, 'nope.json')])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/no such report: .*nope\.json/);
    expect(() => parseCheckArgs(['m.ts', '--reporter', 'html'])).toThrow(/--output FILE/);
    expect(parseCheckArgs(['m.ts', '--reporter', 'html', '--output', 'x.html']).reporter).toBe('html');
    expect(existsSync(join(scratch, 'nope.json'))).toBe(false);
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.svg'))).toEqual([]);
  });
});
