/** Every way a driver process can misbehave gets a DriverError naming the problem, and nothing hangs. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DriverError, driverImplementation, type DriverImplementation } from '../../conformance/driver/client.js';
import { Harness, OperationTimeout } from '../../conformance/harness.js';
import { requirementFor } from '../../conformance/property.js';
import type { Storage } from '../../spec/contract.js';

const fixture = (name: string) => `python3 ${fileURLToPath(new URL(`../fixtures/drivers/${name}`, import.meta.url))}`;
// A generous hello timeout: a Python start on a loaded machine can take seconds, and only the no-hello test waits it out
// (with its own 500 ms).
const fast = { helloTimeoutMs: 30_000, requestTimeoutMs: 800 };

async function failure(p: Promise<unknown>): Promise<DriverError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DriverError);
  return e as DriverError;
}

/** Start a fixture and open a store on it (every fixture answers open correctly). */
async function opened(name: string) {
  const impl = await driverImplementation(fixture(name), fast);
  const storage = await impl.open({ dir: '/nonexistent-fixture-dir' });
  return { impl, storage };
}

async function done(impl: DriverImplementation) {
  await impl.dispose();
}

describe('driver start-up', () => {
  it('reports an exit during the handshake with its status and stderr', async () => {
    const e = await failure(driverImplementation(fixture('exit-during-handshake.py'), fast));
    expect(e.kind).toBe('exited-during-handshake');
    expect(e.message).toMatch(/exited with code 3 before sending its hello/);
    expect(e.message).toContain('cannot load libstore.so');
  });

  it('reports a command that does not exist', async () => {
    const e = await failure(driverImplementation('definitely-not-a-driver-binary --flag', fast));
    expect(e.kind).toBe('exited-during-handshake');
    expect(e.message).toMatch(/code 127/);
    expect(e.message).toMatch(/not found/);
  });

  it('reports a driver that never says hello, after the start-up timeout', async () => {
    const e = await failure(driverImplementation(fixture('no-hello.py'), { ...fast, helloTimeoutMs: 500 }));
    expect(e.kind).toBe('hello-timeout');
    expect(e.message).toMatch(/no hello line within 500 ms/);
  });

  it('refuses another protocol version', async () => {
    const e = await failure(driverImplementation(fixture('wrong-version.py'), fast));
    expect(e.kind).toBe('version-mismatch');
    expect(e.message).toMatch(/speaks protocol version 3; this runner speaks versions 1 and 2/);
  });

  it('quotes a first line that is not a hello', async () => {
    const e = await failure(driverImplementation(`echo 'store ready on port 8080'; cat`, fast));
    expect(e.kind).toBe('bad-hello');
    expect(e.message).toContain('"store ready on port 8080"');
  });
});

describe('driver misbehaving after the handshake', () => {
  it('reports a crash mid-run with the exit status and the last stderr lines, and later calls fail the same way', async () => {
    const { impl, storage } = await opened('crash-mid-run.py');
    await storage.ls.set('a', '1');
    const e = await failure(Promise.resolve(storage.ls.get('a')));
    expect(e.kind).toBe('crashed');
    expect(e.message).toMatch(/exited with code 139 while request \d+ ls\.get\("a"\) was outstanding/);
    expect(e.message).toContain('segmentation fault (simulated)');
    expect((await failure(Promise.resolve(storage.ls.keys()))).kind).toBe('crashed');
    await done(impl);
  });

  it('times out a request that hangs, kills the driver, and the next open starts a fresh process', async () => {
    const { impl, storage } = await opened('hang-on-request.py');
    const pid = storage.pid;
    const e = await failure(Promise.resolve(storage.ls.keys()));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/did not answer request \d+ ls\.keys\(\) within 800 ms \(it was killed\)/);
    const again = await impl.open({ dir: '/nonexistent-fixture-dir' });
    expect(again.pid).not.toBe(pid);
    await again.ls.set('k', 'v'); // the fresh process answers (it only hangs on keys)
    await done(impl);
  });

  it('quotes a stdout line that is not JSON', async () => {
    const { impl, storage } = await opened('garbage-output.py');
    const e = await failure(Promise.resolve(storage.ls.set('k', 'v')));
    expect(e.kind).toBe('garbage');
    expect(e.message).toContain('"DEBUG: got request, storing it now"');
    await done(impl);
  });

  it('reports a response with an unknown id', async () => {
    const { impl, storage } = await opened('wrong-id.py');
    const e = await failure(Promise.resolve(storage.ls.get('k')));
    expect(e.kind).toBe('unexpected-id');
    expect(e.message).toMatch(/unknown request id \d+ while request \d+ ls\.get\("k"\) was outstanding/);
    await done(impl);
  });

  it('reports responses out of request order', async () => {
    const { impl, storage } = await opened('out-of-order.py');
    const [a, b] = await Promise.all([failure(Promise.resolve(storage.ls.set('a', '1'))), failure(Promise.resolve(storage.ls.set('b', '2')))]);
    expect(a.kind).toBe('unexpected-id');
    expect(a.message).toMatch(/answered request (\d+) before request \d+ ls\.set\("a", "1"\): responses must come in request order/);
    expect(b).toBe(a);
    await done(impl);
  });

  it('rejects every outstanding request when the runner kills the driver', async () => {
    const { impl, storage } = await opened('hang-on-request.py');
    const pending = failure(Promise.resolve(storage.ls.keys()));
    await storage.kill();
    expect((await pending).kind).toBe('killed');
    await done(impl);
  });
});

describe('blame for a driver that does not answer', () => {
  it('the client killing it first still fails the call as a timeout (API-TIMELY), not as a throw (API-NO-THROW)', async () => {
    const dead = () => Promise.reject(new DriverError('timeout', 'the driver did not answer request 7 within 800 ms (it was killed)'));
    const storage = { ls: { get: dead, set: dead, remove: dead, clear: dead, keys: dead }, session: { get: dead, set: dead, delete: dead, clear: dead }, close: async () => {} };
    const e = await new Harness(storage as unknown as Storage, '/nonexistent', 5000).call('ls.get', ['k']).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(OperationTimeout);
    expect(requirementFor(e, 'STR-LARGE-VALUE')).toBe('API-TIMELY');
  });
});
