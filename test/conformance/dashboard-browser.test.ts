/**
 * The dashboard in a real browser (the system chromium through playwright-core), opened from
 * file://, built from the fixture reports (test/fixtures/dashboard/: a passing store, race mutants
 * failing LIN-LINEARIZABLE and SHARE-VISIBLE, a mutant with expected failures, a crash failure).
 * Screenshots go to test-output/dashboard/ (git-ignored). Without chromium the test is skipped with
 * the reason, unless CI is set, in which case it fails.
 */
import { readFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../conformance/report/html/build.js';
import { REQUIREMENTS } from '../../spec/requirements.js';
import { chromiumTestGate } from '../helpers/chromium.js';
import { ROOT } from '../helpers/cli.js';

const gate = chromiumTestGate();
const OUT = join(ROOT, 'test-output/dashboard');
const REPORTS = ['memory', 'lost-update', 'composite-session-key', 'file-faithful', 'stale-cache'];
const BROWSER_MS = 120_000;

if (gate.failReason) {
  it('dashboard in chromium', () => {
    throw new Error(gate.failReason!);
  });
}

describe.skipIf(gate.binary === null)(`dashboard in chromium${gate.binary === null ? ` (skipped: ${gate.skipReason ?? gate.failReason})` : ''}`, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(join(OUT, 'reports'), { recursive: true });
    for (const r of REPORTS) cpSync(join(ROOT, 'test/fixtures/dashboard', `${r}.json`), join(OUT, 'reports', `${r}.json`));
    await buildDashboard({ inputs: REPORTS.map((r) => join(OUT, 'reports', `${r}.json`)), output: join(OUT, 'index.html'), perf: join(ROOT, 'reports/perf.json'), generatedAt: 'test' });
    browser = await chromium.launch({ executablePath: gate.binary!, args: ['--no-sandbox'], timeout: BROWSER_MS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('request', (r) => void (!/^(file|data|about):/.test(r.url()) && problems.push(`network request: ${r.url()}`)));
    await page.goto(pathToFileURL(join(OUT, 'index.html')).href);
  }, BROWSER_MS);

  /** An attribute of the closest `selector` around the focused element (evaluated in the page). */
  const focusedAttr = (selector: string, attribute: string) => page.evaluate(`document.activeElement.closest(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(attribute)})`);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a cell per implementation and requirement, grouped by section, with glyphs and counts', async () => {
    const reported = new Set(REPORTS.flatMap((r) => (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/dashboard', `${r}.json`), 'utf8')) as { requirements: { id: string }[] }).requirements.map((q) => q.id))).size;
    expect(reported).toBeLessThanOrEqual(REQUIREMENTS.length);
    expect(await page.locator('button.cell').count()).toBe(REPORTS.length * reported);
    expect(await page.locator('tr.section').allTextContents()).toEqual(expect.arrayContaining(['2. Local storage', '7. Sharing']));
    const headers = await page.locator('th.impl').allInnerTexts();
    expect(headers[0]).toMatch(/reference\/memory[^]*✓ PASS[^]*ls\.get [\d.]+ µs/);
    expect(headers[1]).toMatch(/mutant\/race\/lost-update[^]*✗ FAIL/);
    const lin = page.locator('tr[data-req="LIN-LINEARIZABLE"] td[data-col="c1"] button.cell');
    expect(await lin.innerText()).toBe('✗ FAIL');
    expect(await page.locator('tr[data-req="SES-ISOLATION"] td[data-col="c2"] button.cell').innerText()).toBe('⊘ known');
    expect(await page.locator('tr[data-req="PERSIST-DURABLE"] td[data-col="c0"] button.cell').getAttribute('title')).toMatch(/declared persistence is "volatile"/);
    await page.screenshot({ path: join(OUT, 'matrix.png'), fullPage: true });
  });

  it('clicking a failed cell opens its requirement, counterexample, history picture and replay command; copy works', async () => {
    await page.locator('tr[data-req="LIN-LINEARIZABLE"] td[data-col="c1"] button.cell').click();
    const dialog = page.locator('dialog#detail');
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('h2').innerText()).toMatch(/^LIN-LINEARIZABLE concurrent operations/);
    expect(await dialog.locator('.why').innerText()).toMatch(/RwLock/);
    expect(await dialog.locator('.cmd').innerText()).toMatch(/^npx titan-storage check conformance\/mutants\/race\/lost-update\.ts --only LIN-LINEARIZABLE\/property --seed 1 --path \S+$/);
    expect(await dialog.locator('pre.counterexample').innerText()).toMatch(/isolate 0 runs:/);
    expect(await dialog.locator('svg.history g.op.stuck').count()).toBe(1);
    expect(await dialog.locator('svg.history circle').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, 'detail-linearizability.png') });
    await dialog.locator('button.copy').click();
    await expect.poll(() => dialog.locator('button.copy').innerText()).toMatch(/copied ✓|select and copy/);
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(await focusedAttr('tr', 'data-req')).toBe('LIN-LINEARIZABLE');
  });

  it('SHARE-VISIBLE and crash failures are drawn too', async () => {
    await page.locator('tr[data-req="SHARE-VISIBLE"] td[data-col="c4"] button.cell').click();
    expect(await page.locator('dialog#detail svg.history g.op.stuck').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.locator('tr[data-req="CRASH-CONSISTENT"] td[data-col="c3"] button.cell').click();
    expect(await page.locator('dialog#detail svg.crash').innerHTML()).toMatch(/SIGKILL/);
    await page.screenshot({ path: join(OUT, 'detail-crash.png') });
    await page.keyboard.press('Escape');
  });

  it('is usable by keyboard: arrows move between cells, focus shows the reason, Enter opens', async () => {
    const first = page.locator('tr[data-req="API-SHAPE"] td[data-col="c0"] button.cell');
    await first.focus();
    await page.keyboard.press('ArrowRight');
    expect(await focusedAttr('td', 'data-col')).toBe('c1');
    await page.keyboard.press('ArrowDown');
    expect(await focusedAttr('tr', 'data-req')).toBe('API-RESULT-TYPE');
    await page.keyboard.press('End');
    expect(await focusedAttr('td', 'data-col')).toBe(`c${REPORTS.length - 1}`);
    const tip = await page.evaluate("getComputedStyle(document.activeElement, '::after').content");
    expect(tip).toMatch(/checks passed|not checked|skipped|declared|FAIL|no check/);
    await page.keyboard.press('Enter');
    expect(await page.locator('dialog#detail').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('filters: failures only, one section, one implementation', async () => {
    await page.locator('#f-failures').check();
    const visible = await page.locator('tr[data-req]:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-req')));
    expect(visible).toEqual(expect.arrayContaining(['LIN-LINEARIZABLE', 'SHARE-VISIBLE', 'SES-ISOLATION', 'CRASH-CONSISTENT', 'LS-REMOVE']));
    expect(visible).not.toContain('API-SHAPE');
    await page.locator('#f-impl').selectOption('c1');
    expect(await page.locator('th.impl:visible').count()).toBe(1);
    expect(await page.locator('tr[data-req]:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-req')))).toEqual(['LIN-LINEARIZABLE']);
    await page.locator('#f-impl').selectOption('c0');
    expect(await page.locator('#empty').isVisible()).toBe(true);
    await page.locator('#f-failures').uncheck();
    await page.locator('#f-impl').selectOption('');
    await page.locator('#f-section').selectOption({ label: '7. Sharing' });
    expect(await page.locator('tr[data-req]:visible').count()).toBe(3);
    expect(await page.locator('#shown').innerText()).toBe(`showing 3 requirements × ${REPORTS.length} implementations`);
    await page.locator('#f-section').selectOption('');
  });

  it('loaded nothing from the network and logged no errors', () => {
    expect(problems).toEqual([]);
  });
});
