/**
 * A driver (spec/PROTOCOL.md, version 2) for the real TitanPL server: every storage request is one
 * HTTP request to the app's `op` action, which calls t.ls / t.session inside one of titan-server's
 * worker isolates. Run it through driver.sh, which puts it and its servers in a network namespace
 * with only loopback (titan-server binds 0.0.0.0).
 *
 * - Clients: each `client` number has its own keep-alive connection, so concurrent clients land
 *   on different isolates; requests of one client are served in order, clients concurrently.
 * - The store lives in the server process: a restart (the runner SIGKILLs this driver's process
 *   group, server included) gives a fresh, empty server. `open` of a dir already opened by this
 *   process is a restart too: the server is killed and a fresh one started.
 * - `open` of a new dir empties the running server instead of restarting it (test scaffolding,
 *   like adapters/titanpl-core/harness-reset.ts): ls.clear() and session.clear(id) of every session
 *   id this driver has sent. The store has no call that lists sessions.
 * - When the server dies or stops answering, that request gets an error naming the operation, the
 *   exit status or signal and the last log lines, and a fresh server takes over.
 */
import { once } from 'node:events';
import { LineSplitter } from '../../conformance/driver/lines.js';
import { OP_ARITY, PROTOCOL_NAME, isOpName, type ErrorBody } from '../../conformance/driver/protocol.js';
import { TitanServer } from './server.js';
import { decodeResult, encodeString } from './wire.js';

// Below the gate's --timeout (30 s), so a silent server is reported here, with its log, before the runner gives up; a 16 MiB value takes seconds.
const REQUEST_TIMEOUT_MS = Number(process.env.TITANPL_SERVER_REQUEST_TIMEOUT_MS ?? 25_000);

type Reply = { ok: true; value?: unknown } | { ok: false; error: ErrorBody };
type Req = { id: number; op: unknown; dir?: unknown; args?: unknown; client?: unknown };

async function send(message: unknown): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(message)}\n`)) await once(process.stdout, 'drain');
}

const log = (s: string) => process.stderr.write(`titanpl-server driver: ${s}\n`);

/** A started server and its readiness; a failed start shows at the first request that waits for it. */
interface Started {
  server: TitanServer;
  ready: Promise<void>;
}
function startServer(): Started {
  const server = new TitanServer();
  const ready = server.ready();
  ready.catch(() => {});
  return { server, ready };
}

let { server, ready: starting } = startServer();
/** One more server started ahead, so a restart or a replacement does not wait ~1 s for start-up. */
let spare: Started = startServer();
let openDir: string | null = null;
const openedDirs = new Set<string>();
const sessionIds = new Set<string>();

/** Switch to the spare server (the old one is killed if still alive) and start the next spare. */
function replaceServer(): void {
  void server.kill();
  ({ server, ready: starting } = spare);
  spare = startServer();
}

async function freshServer(): Promise<void> {
  replaceServer();
  await starting;
}

/** One request to the app's reset action; a server that cannot be emptied is replaced. */
async function emptyServer(): Promise<void> {
  await starting;
  // A NUL aborts the server (so such a call stored nothing), and would abort it again here.
  const ids = [...sessionIds].filter((id) => !id.includes('\0'));
  sessionIds.clear();
  try {
    const r = (await server.post('/reset', { ids: ids.map(encodeString) }, 0, REQUEST_TIMEOUT_MS)) as { keysLeft?: unknown };
    if (r.keysLeft !== 0) throw new Error(`ls.keys() after ls.clear() has ${JSON.stringify(r.keysLeft)} keys`);
  } catch (e) {
    log(`emptying the server failed (${(e as Error).message}); switching to a fresh one`);
    await freshServer();
  }
}

function describe(op: string, args: string[]): string {
  return `${op}(${args.map((a) => JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a)).join(', ')})`;
}

/** One storage operation through the server; a dead or silent server becomes an error reply and is replaced. */
async function callAction(op: string, args: string[], client: number): Promise<Reply> {
  const s = server;
  try {
    await starting; // a server that failed to start is replaced like one that died
    const r = (await s.post('/op', { op, args: args.map(encodeString) }, client, REQUEST_TIMEOUT_MS)) as Record<string, unknown>;
    if (r.ok === true) return 'value' in r ? { ok: true, value: decodeResult(r.value) } : { ok: true };
    const err = r.error as ErrorBody | undefined;
    return { ok: false, error: { type: typeof err?.type === 'string' && err.type !== '' ? err.type : 'Error', message: String(err?.message ?? JSON.stringify(r)) } };
  } catch (e) {
    // Give a dying server a moment to exit, so its status and last words are in the message.
    await Promise.race([s.exited, new Promise((r) => setTimeout(r, 300))]);
    const how = s.alive ? `did not answer (${(e as Error).message}); it was killed with SIGKILL` : s.describeExit();
    if (s.alive) await s.kill();
    const message =
      `titan-server (pid ${s.pid}) ${how} during ${describe(op, args)}; last log lines:\n  ${s.lastLogLines().join('\n  ') || '(none)'}\n` +
      'a fresh server was started: the store is empty again';
    log(message);
    if (server === s) replaceServer();
    return { ok: false, error: { type: 'Error', message } };
  }
}

class BadRequest extends Error {}

async function handleStorage(req: Req): Promise<Reply> {
  const op = req.op;
  if (!isOpName(op)) throw new BadRequest(`unknown op ${JSON.stringify(op)}`);
  if (openDir === null) throw new BadRequest(`${op} before open`);
  const args = req.args;
  if (!Array.isArray(args) || args.length !== OP_ARITY[op] || !args.every((a) => typeof a === 'string')) {
    throw new BadRequest(`${op} takes ${OP_ARITY[op]} string arguments`);
  }
  if (op.startsWith('session.')) sessionIds.add(args[0] as string);
  return callAction(op, args as string[], typeof req.client === 'number' ? req.client : 0);
}

async function handleControl(req: Req): Promise<Reply> {
  if (req.op === 'open') {
    if (openDir !== null) throw new BadRequest('a store is already open in this process; close it first');
    if (typeof req.dir !== 'string') throw new BadRequest('open needs a string "dir"');
    if (openedDirs.has(req.dir)) await freshServer();
    else await emptyServer();
    openedDirs.add(req.dir);
    openDir = req.dir;
    return { ok: true, value: null };
  }
  openDir = null;
  return { ok: true, value: null };
}

async function answer(req: Req, work: () => Promise<Reply>): Promise<void> {
  let reply: Reply;
  try {
    reply = await work();
  } catch (e) {
    reply = { ok: false, error: { type: 'Error', message: e instanceof BadRequest ? `bad request: ${e.message}` : String(e) } };
  }
  await send({ id: req.id, ...reply });
}

/** Per-client queues; open and close wait for everything before them, and everything after waits for them. */
const queues = new Map<number, Promise<void>>();
let barrier: Promise<void> = Promise.resolve();

function dispatch(req: Req): void {
  if (req.op === 'open' || req.op === 'close') {
    const before = Promise.all([barrier, ...queues.values()]);
    queues.clear();
    barrier = before.then(() => answer(req, () => handleControl(req)));
    return;
  }
  const client = typeof req.client === 'number' ? req.client : 0;
  const prev = queues.get(client) ?? barrier;
  queues.set(client, prev.then(() => answer(req, () => handleStorage(req))));
}

async function main(): Promise<void> {
  await starting;
  await send({
    protocol: PROTOCOL_NAME,
    version: 2,
    clients: true,
    name: 'titan-server 7.0.1 + @titanpl/core 3.0.7',
    capabilities: { persistence: 'volatile', sharing: 'process' },
  });
  const splitter = new LineSplitter();
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    for (const line of splitter.push(chunk)) {
      let req: Req;
      try {
        if (!line.ok) throw new Error('not UTF-8');
        req = JSON.parse(line.text) as Req;
        if (typeof req?.id !== 'number') throw new Error('no numeric id');
      } catch (e) {
        log(`unreadable request (${(e as Error).message}); exiting`);
        await Promise.all([server.kill(), spare.server.kill()]);
        process.exit(3);
      }
      dispatch(req);
    }
  }
  await Promise.all([barrier, ...queues.values()]);
  await Promise.all([server.kill(), spare.server.kill()]);
  process.exit(0);
}

await main();
