import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatRatio } from '../../bench/format.js';
import { renderReport } from '../../bench/render.js';
import type { PerfReport } from '../../bench/types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/perf-small.json', import.meta.url), 'utf8')) as PerfReport;
const clone = (): PerfReport => structuredClone(fixture);

/** A strict-enough well-formedness check: balanced tags, quoted attributes, escaped text. Returns the problem or null. */
function xmlProblem(doc: string): string | null {
  const body = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  let roots = 0;
  const entityOk = (text: string) => !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text);
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const text = body.slice(last, m.index);
    if (text.includes('<') || text.includes('>')) return `stray markup in text near: ${text.slice(0, 60)}`;
    if (!entityOk(text)) return `unescaped & in text: ${text.slice(0, 60)}`;
    last = token.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    const [, closing, name, attrs, selfClosing] = m;
    if (!entityOk(attrs ?? '')) return `unescaped & in attributes of <${name}>`;
    if (closing) {
      if (stack.pop() !== name) return `</${name}> does not close the open element`;
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name!);
    }
  }
  if (body.slice(last).trim() !== '') return 'content after the root element';
  if (stack.length) return `unclosed <${stack.join('>, <')}>`;
  return roots === 1 ? null : `expected one root element, found ${roots}`;
}

describe('xmlProblem (the checker itself)', () => {
  it('accepts well-formed and rejects broken documents', () => {
    expect(xmlProblem('<svg a="1"><g><text>a &amp; b</text></g><rect/></svg>')).toBeNull();
    expect(xmlProblem('<svg><g></svg>')).not.toBeNull();
    expect(xmlProblem('<svg><text>a & b</text></svg>')).not.toBeNull();
    expect(xmlProblem('<svg a=1></svg>')).not.toBeNull();
  });
});

describe('renderReport', () => {
  const { markdown, charts } = renderReport(fixture);

  it('is pure: same input, same output, input untouched', () => {
    const input = clone();
    const again = renderReport(input);
    expect(again.markdown).toBe(markdown);
    expect(again.charts).toEqual(charts);
    expect(input).toEqual(fixture);
  });

  it('mentions every store, and every skipped store with its reason', () => {
    for (const s of fixture.stores) {
      expect(markdown).toContain(s.id);
      if (!s.included) expect(markdown).toContain(s.skipped!);
    }
    expect(fixture.stores.some((s) => !s.included)).toBe(true);
  });

  it("puts the change note's table beside the measured one", () => {
    const section = markdown.slice(markdown.indexOf("## The change note's table"), markdown.indexOf('## Before/after ratios'));
    expect(section).toContain('~5 ms');
    expect(section).toContain('~0.001 ms');
    expect(section).toContain('~5000×');
    const write = fixture.ratios.find((r) => r.task === 'ls.set' && r.before === 'file-faithful')!;
    expect(section).toContain(formatRatio(write.ratio));
    expect(section).toContain(formatRatio(write.ciLow));
  });

  it('shows the fitted per-key write cost of the file stores', () => {
    expect(markdown).toContain('## Cost of a write vs number of keys');
    expect(markdown).toMatch(/\/key/);
    expect(charts['write-cost.svg']).toContain('fit:');
  });

  it('has latency percentiles and throughput per store and operation', () => {
    expect(markdown).toMatch(/\| Operation \| Keys \| Mean \| p50 \| p99 \| Throughput \|/);
    for (const id of ['file-faithful', 'file', 'memory']) expect(markdown).toContain(`**${id}**`);
  });

  it('renders every chart as a well-formed SVG document with a title', () => {
    expect(Object.keys(charts).length).toBeGreaterThanOrEqual(6);
    for (const [name, svg] of Object.entries(charts)) {
      expect(xmlProblem(svg), name).toBeNull();
      expect(svg, name).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg, name).toMatch(/<title>[^<]+<\/title>/);
      expect(markdown, name).toContain(`charts/${name}`);
    }
  });

  it('uses a log axis when ratios span orders of magnitude, and a linear one when they do not', () => {
    expect(charts['ratios.svg']).toContain('(log scale)');
    const close = clone();
    // Ratios near the note's 5000x: ratios and the 5000x reference line span less than 100x.
    close.ratios = close.ratios.map((r, i) => ({ ...r, ratio: 3000 + i * 500, ciLow: 2500, ciHigh: 7000 }));
    expect(renderReport(close).charts['ratios.svg']).not.toContain('(log scale)');
  });

  it('draws its conclusion from the data, not from fixed text', () => {
    const conclusion = (p: PerfReport) => {
      const md = renderReport(p).markdown;
      return md.slice(md.indexOf('## Conclusion'), md.indexOf("## The change note's table"));
    };
    const readLine = (c: string) => c.split('\n').find((l) => l.includes('**Reads**'))!;
    // In the fixture a file-backed read is about as fast as an in-memory one.
    expect(readLine(conclusion(fixture))).toContain('does not hold');
    const slowReads = clone();
    for (const r of slowReads.ratios.filter((x) => x.task === 'ls.get')) Object.assign(r, { ratio: 3000, ciLow: 2500, ciHigh: 3500 });
    expect(readLine(conclusion(slowReads))).toContain("at or above the note's");
  });

  it('states the conditions of the run', () => {
    expect(markdown).toContain(fixture.environment.cpuModel);
    expect(markdown).toContain(fixture.environment.filesystem);
    expect(markdown).toMatch(/Load average/);
  });
});
