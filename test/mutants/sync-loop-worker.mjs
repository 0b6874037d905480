// Worker for sequential-mutants.test.ts: fills the sync-infinite-loop mutant's table, reports, then looks up an
// absent key, which never returns; the test terminates this worker.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { default: impl } = await tsImport('../../mutants/sync-infinite-loop.ts', import.meta.url);
const s = await impl.open({ dir: workerData.dir });
for (let i = 0; i < 8; i++) s.ls.set(`k${i}`, 'v');
parentPort.postMessage({ full: s.ls.get('k7') });
s.ls.get('absent');
parentPort.postMessage({ returned: true });
