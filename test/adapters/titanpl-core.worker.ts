/**
 * Worker-thread helper for titanpl-core.test.ts: loads the native library in this thread and
 * runs one request against it, to show that every thread of a process shares one store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import titanplCore from '../../adapters/titanpl-core/index.js';
import { loadTitanCore } from '../../adapters/titanpl-core/native.js';

type Request =
  | { op: 'set'; key: string; value: string; sessionId: string }
  | { op: 'get'; key: string; sessionId: string };

const req = workerData as Request;
const { path } = loadTitanCore();
// Only to get index.js's wrappers: open() with an already-claimed dir does not reset the store.
const storage = await titanplCore.open({ dir: (workerData as { dir: string }).dir });

if (req.op === 'set') {
  await storage.ls.set(req.key, req.value);
  await storage.session.set(req.sessionId, req.key, req.value);
  parentPort!.postMessage({ path });
} else {
  parentPort!.postMessage({ path, ls: await storage.ls.get(req.key), session: await storage.session.get(req.sessionId, req.key) });
}
