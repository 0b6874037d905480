/**
 * Protocol version 2 (concurrent clients) end to end: the Node host serves an asynchronous store
 * to several clients at once; SHARE-VISIBLE and LIN-LINEARIZABLE run through it with histories the
 * runner times itself. A store whose ls.clear reads the keys and removes them one by one with an
 * await between is rejected; the same store with an atomic clear passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checks } from '../../conformance/properties/concurrency-driver.js';
import { driverImplementation, type DriverImplementation } from '../../conformance/driver/client.js';
import { compiledHostCommand } from '../../conformance/host/compiled.js';
import { runCheck } from '../../conformance/runner.js';

const opened: DriverImplementation[] = [];
afterAll(async () => {
  await Promise.all(opened.map((d) => d.dispose()));
});

async function host(module: string): Promise<DriverImplementation> {
  const impl = await driverImplementation(await compiledHostCommand(module), { requestTimeoutMs: 10_000 });
  opened.push(impl);
  return impl;
}

const visible = checks.find((c) => c.requirement === 'SHARE-VISIBLE')!;
const linearizable = checks.find((c) => c.requirement === 'LIN-LINEARIZABLE')!;
const options = { runs: 30, seed: 7, timeoutMs: 5000 };

describe('version-2 drivers (concurrent clients)', () => {
  it('the host declares clients and answers clients out of order, matched by id', async () => {
    const impl = await host('test/fixtures/async-stores/correct.ts');
    expect(impl.servesClients).toBe(true);
    const s = await impl.open({ dir: '/nonexistent/clients-test' });
    // Client 1's slow chain and client 2's single read are in flight together; each gets its own answer.
    const chain = Promise.all(Array.from({ length: 10 }, (_, i) => s.client(1).ls.set(`k${i}`, 'v')));
    const read = s.client(2).ls.get('nothing');
    expect(await read).toBeNull();
    await chain;
    expect((await s.client(2).ls.keys()) as string[]).toHaveLength(10);
    await s.close();
  }, 60_000);

  it("an implementation's error keeps its name through the host: a URIError arrives as a URIError, not \"Error: URIError\"", async () => {
    const impl = await host('mutants/lone-surrogate-key-throws.ts');
    const s = await impl.open({ dir: '/nonexistent/clients-test' });
    const e = (await Promise.resolve(s.ls.set('a\uD800', 'v')).then(
      () => null,
      (x: unknown) => x,
    )) as Error;
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('URIError');
    expect(e.message).not.toMatch(/URIError/);
    await s.close();
  }, 60_000);

  it('an async store with an atomic clear passes SHARE-VISIBLE and LIN-LINEARIZABLE through the host', async () => {
    const impl = await host('test/fixtures/async-stores/correct.ts');
    for (const check of [visible, linearizable]) {
      const r = await runCheck(impl, check, options);
      expect(r, `${check.id}: ${r.message}\n${r.counterexample}`).toMatchObject({ status: 'passed' });
    }
  }, 180_000);

  it('the same store with a clear that awaits between removals fails LIN-LINEARIZABLE', async () => {
    const impl = await host('test/fixtures/async-stores/nonatomic-clear.ts');
    const r = await runCheck(impl, linearizable, options);
    expect(r).toMatchObject({ status: 'failed', requirement: 'LIN-LINEARIZABLE' });
    expect(r.counterexample).toContain('ls.clear()');
    expect(r.counterexample).toContain('not linearizable');
  }, 180_000);

  it('the isolate-based checks and these ones never both run: a module path selects the isolates, a version-2 driver the clients', async () => {
    const impl = await host('test/fixtures/async-stores/correct.ts');
    expect(visible.skip?.(impl.capabilities, { impl })).toBeNull();
    const inline = (await import('../fixtures/async-stores/correct.js')).default;
    expect(visible.skip?.(inline.capabilities, { impl: inline, modulePath: 'x.ts' })).toMatch(/clients/);
  }, 60_000);
});
