// The requirement ID is the spine: SPEC.md, the registry and the suite must name the same IDs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, SPEC_VERSION } from '../../spec/requirements.js';
import { SUITE } from '../../conformance/suite.js';

const spec = readFileSync(new URL('../../spec/SPEC.md', import.meta.url), 'utf8');
const headings = [...spec.matchAll(/^### ([A-Z][A-Z0-9-]+)$/gm)].map((m) => m[1]!);
const ids = REQUIREMENTS.map((r) => r.id);

describe('spec/SPEC.md, spec/requirements.ts and the suite agree', () => {
  it('every requirement has a heading in SPEC.md, and every heading is a requirement', () => {
    expect([...headings].sort()).toEqual([...ids].sort());
  });

  it('every rationale in the registry says what SPEC.md\'s *Why* line says (same words, markup aside)', () => {
    // SPEC.md is the text people read, the registry the one reports print: they must not drift apart.
    const words = (s: string) => s.replace(/`/g, '').replace(/\s+/g, ' ').trim().replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
    for (const section of spec.split(/^### /m).slice(1)) {
      const id = section.split('\n')[0]!.trim();
      const why = /\*Why: ([\s\S]*?)\*(?:\n|$)/.exec(section)?.[1];
      expect(why, `${id} has a *Why:* line`).toBeDefined();
      expect(words(REQUIREMENTS.find((r) => r.id === id)!.rationale), id).toBe(words(why!));
    }
  });

  it('SPEC.md states the registry\'s spec version, and each entry says since when it exists or how it last changed', () => {
    expect(spec).toContain(`Status: **version ${SPEC_VERSION}**`);
    const words = (s: string) => s.replace(/`/g, '').replace(/\s+/g, ' ').trim().replace(/\.$/, '');
    for (const section of spec.split(/^### /m).slice(1)) {
      const id = section.split('\n')[0]!.trim();
      const r = REQUIREMENTS.find((x) => x.id === id)!;
      const since = /\*Since version (\d+)\.\*/.exec(section)?.[1];
      expect(since === undefined ? 1 : Number(since), `${id}: *Since version N.* in SPEC.md`).toBe(r.since ?? 1);
      const changed = /\*Changed in version (\d+): ([\s\S]*?)\*(?:\n|$)/.exec(section);
      expect(changed ? { version: Number(changed[1]), what: words(changed[2]!) } : undefined, `${id}: *Changed in version N: …* in SPEC.md`).toEqual(r.changed ? { version: r.changed.version, what: words(r.changed.what) } : undefined);
      expect(r.since ?? 1).toBeLessThanOrEqual(SPEC_VERSION);
    }
  });

  it('requirement IDs are unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every requirement is checked by at least one check', () => {
    const checked = new Set(SUITE.map((c) => c.requirement));
    expect(ids.filter((id) => !checked.has(id))).toEqual([]);
  });

  it('every check tests a known requirement and has a unique id prefixed by it', () => {
    for (const c of SUITE) {
      expect(ids).toContain(c.requirement);
      expect(c.id.startsWith(`${c.requirement}/`)).toBe(true);
    }
    expect(new Set(SUITE.map((c) => c.id)).size).toBe(SUITE.length);
  });

  it('every "Checked by" pointer in SPEC.md names a real check of that requirement', () => {
    const sections = spec.split(/^### /m).slice(1);
    for (const section of sections) {
      const id = section.split('\n')[0]!.trim();
      const pointers = [...section.matchAll(/`([A-Z][A-Z0-9-]+\/[A-Za-z0-9-]+)`/g)].map((m) => m[1]!);
      expect(pointers.length, `${id} names its checks`).toBeGreaterThan(0);
      for (const p of pointers) expect(SUITE.some((c) => c.id === p), `${id} points to ${p}`).toBe(true);
    }
  });

  it('every requirement has a title and a rationale', () => {
    for (const r of REQUIREMENTS) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(10);
    }
  });
});
