// The durability section of reports/perf.md: measured write cost beside the conformance verdicts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SURVIVAL, durabilitySection } from '../../bench/durability.js';
import { renderReport } from '../../bench/render.js';
import type { PerfReport } from '../../bench/types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/perf-small.json', import.meta.url), 'utf8')) as PerfReport;

describe('durability section', () => {
  it('puts each store\'s measured ls.set cost beside survives SIGKILL / survives power loss', () => {
    const md = durabilitySection(fixture).join('\n');
    expect(md).toContain('| store | `ls.set` (typical) | survives SIGKILL | survives power loss | how |');
    const set = fixture.operations.find((o) => o.store === 'file' && o.op === 'ls.set' && o.keys === fixture.config.ratioKeys);
    const fileRow = md.split('\n').find((l) => l.startsWith('| file |'))!;
    expect(fileRow).toMatch(set ? /^\| file \| [\d.]+ (ns|µs|ms|s) \| yes \| yes \|/ : /not measured/);
    expect(md.split('\n').find((l) => l.startsWith('| file-faithful |'))).toMatch(/\*\*no\*\*: CRASH-POWERLOSS/);
    expect(SURVIVAL.map((s) => s.store)).toEqual(['memory', 'file-faithful', 'file', 'sqlite', 'redis']);
  });

  it('is part of the rendered report, before the list of stores', () => {
    const { markdown } = renderReport(fixture);
    expect(markdown.indexOf('## Durability: what a write costs and what it survives')).toBeGreaterThan(0);
    expect(markdown.indexOf('## Durability')).toBeLessThan(markdown.indexOf('## Stores'));
  });
});
