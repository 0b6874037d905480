// VAL-REJECT accepts what ToString does: template-literal conversion that lets a throwing toString's error through passes.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import { coerce } from '../../spec/conversion.js';
import type { Implementation, Storage } from '../../spec/contract.js';
import symbolAccepted from '../../mutants/symbol-accepted.js';

const only = (id: string) => selectChecks(SUITE, [id])[0]!;

/** A store that converts every argument as a template literal does and adds nothing. */
function templateLiteralStore(): Storage {
  const ls = new Map<string, string>();
  const sessions = new Map<string, Map<string, string>>();
  const s = (x: unknown) => `${x as string}`;
  return {
    ls: {
      get: (k) => ls.get(s(k)) ?? null,
      set: (k, v) => {
        const key = s(k);
        ls.set(key, s(v));
      },
      remove: (k) => void ls.delete(s(k)),
      clear: () => ls.clear(),
      keys: () => [...ls.keys()],
    },
    session: {
      get: (id, k) => {
        const [sid, key] = [s(id), s(k)];
        return sessions.get(sid)?.get(key) ?? null;
      },
      set: (id, k, v) => {
        const [sid, key, value] = [s(id), s(k), s(v)];
        if (!sessions.has(sid)) sessions.set(sid, new Map());
        sessions.get(sid)!.set(key, value);
      },
      delete: (id, k) => {
        const [sid, key] = [s(id), s(k)];
        sessions.get(sid)?.delete(key);
      },
      clear: (id) => void sessions.delete(s(id)),
    },
  };
}

const templateLiteral: Implementation = { name: 'template-literal', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open: templateLiteralStore };

describe('VAL-REJECT', () => {
  it('passes a store converting with template literals whose toString errors propagate unchanged', async () => {
    for (const id of ['VAL-REJECT/type-error', 'VAL-REJECT-ATOMIC/state-unchanged', 'VAL-COERCE/string-conversion']) {
      const r = await runCheck(templateLiteral, only(id), { runs: 200, seed: 5, timeoutMs: 2000 });
      expect(r.status, `${id}: ${r.message}`).toBe('passed');
    }
  });

  it('still fails a store that accepts a Symbol as "Symbol(x)"', async () => {
    const r = await runCheck(symbolAccepted, only('VAL-REJECT/type-error'), { runs: 200, seed: 5, timeoutMs: 2000 });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/Symbol/);
  });

  it('the model converts as ToString does: a Symbol is rejected, String(Symbol) is not the rule', () => {
    expect(coerce(Symbol('x')).ok).toBe(false);
    expect(coerce(12)).toEqual({ ok: true, value: '12' });
    const own = coerce({ toString: () => { throw new RangeError('mine'); } });
    expect(own.ok).toBe(false);
  });
});
