/** The report's section: Stores. */
import { formatCount } from '../format.js';
import type { StoreInfo } from '../types.js';
import { table, type RenderContext } from './context.js';

export function renderStores(ctx: RenderContext): void {
  const { perf, md, included } = ctx;
  md.push('## Stores', '');
  md.push(
    table(
      ['Store', 'Role', 'Module', 'Measured', 'Persistence', 'Sharing', 'Calls', 'Max keys', 'Notes'],
      perf.stores.map((s: StoreInfo) => [
        s.id,
        s.role,
        s.module ? `\`${s.module}\`` : '—',
        s.included ? 'yes' : `**skipped**: ${s.skipped ?? 'unknown reason'}`,
        s.persistence ?? '—',
        s.sharing ?? '—',
        s.included ? (s.async ? 'async (awaited one at a time)' : 'sync') : '—',
        `${formatCount(s.maxKeys)}${s.capReason ? ` (${s.capReason})` : ''}`,
        [s.label, s.notes, ...(s.failures ?? []).map((f) => `FAILED ${f}`)].filter(Boolean).join('; '),
      ]),
    ),
    '',
  );
}
