/** Escaping for HTML text, attribute values and SVG (the same rules). */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string | number | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Inline Markdown of SPEC.md rules: `code` spans become <code>, the rest is escaped text. */
export function inlineMarkdown(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? `<code>${esc(part.slice(1, -1))}</code>` : esc(part)))
    .join('');
}

/** A string safe inside <script type="application/json">: no "</script" or "<!--". */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
