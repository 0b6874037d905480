/** The spec's sections and rule text per requirement ID, read from spec/SPEC.md (its `## n.` and `### ID` headings). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../entries.js';

export interface SpecEntry {
  /** e.g. "2. Local storage". */
  readonly section: string;
  /** The rule as written in SPEC.md (Markdown), without its "Why" and "Checked by" lines. */
  readonly text: string;
}

export function parseSpec(markdown: string): Map<string, SpecEntry> {
  const entries = new Map<string, SpecEntry>();
  let section = '';
  let id: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (id !== undefined) entries.set(id, { section, text: lines.join(' ').replace(/\s+/g, ' ').trim() });
    id = undefined;
    lines = [];
  };
  for (const line of markdown.split('\n')) {
    const h2 = /^## (.+)$/.exec(line);
    const h3 = /^### ([A-Z][A-Z0-9-]+)\s*$/.exec(line);
    if (h2) {
      flush();
      section = h2[1]!.replace(/\s*\(capability.*\)$/, '').trim();
    } else if (h3) {
      flush();
      id = h3[1];
    } else if (id !== undefined && !/^\*Why|^Checked by/.test(line)) lines.push(line);
    else if (id !== undefined) flush();
  }
  flush();
  return entries;
}

let cached: Map<string, SpecEntry> | undefined;

/** This package's spec, parsed once. */
export function specEntries(): Map<string, SpecEntry> {
  // From the package root: this file is bundled into dist/ in the installed package.
  cached ??= parseSpec(readFileSync(join(PACKAGE_ROOT, 'spec/SPEC.md'), 'utf8'));
  return cached;
}
