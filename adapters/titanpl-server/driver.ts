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
 * - The library is chosen by the first argument or TITANPL_LIBRARY (libraries.ts). Every server
 *   has a working directory of its own (workdir.ts). For a durable library (the before, which
 *   keeps its files in the working directory) every `open` gets a server that has not touched
 *   its storage yet, whose working directory becomes the store's dir with the files already
 *   there: a reopen after close or SIGKILL loads what the last server wrote.
 */
import { once } from 'node:events';
import { LineSplitter } from '../../conformance/driver/lines.js';
import { OP_ARITY, PROTOCOL_NAME, isOpName, type ErrorBody } from '../../conformance/driver/protocol.js';
import { serverLibrary } from './libraries.js';
import { TitanServer } from './server.js';
import { decodeResult, encodeString } from './wire.js';
import { WorkDir } from './workdir.js';

const LIBRARY = serverLibrary(process.argv[2] || undefined);
const DURABLE = LIBRARY.persistence === 'durable';
/**
 * Diagnosis only, never in a gate (TITANPL_WORKAROUND=absent): every stored value gets a one-character
 * prefix, so a read of "" can only mean absent (D1 of the reports). It judges the requirements that
 * D1 otherwise decides first, such as durability and crash consistency. The hello's name says so.
 */
const TAG = process.env.TITANPL_WORKAROUND === 'absent' ? '\u0001' : null;
const VALUE_ARG: Partial<Record<string, number>> = { 'ls.set': 1, 'session.set': 2 };

function tagged(op: string, args: string[]): string[] {
  const i = VALUE_ARG[op];
  return TAG === null || i === undefined ? args : args.map((a, j) => (j === i ? TAG + a : a));
}

function untagged(op: string, reply: Reply): Reply {
  if (TAG === null || !reply.ok || (op !== 'ls.get' && op !== 'session.get') || typeof reply.value !== 'string') return reply;
  return { ok: true, value: reply.value === '' ? null : reply.value.slice(TAG.length) };
}

// Below the gate's --timeout (30 s), so a silent server is reported here, with its log, before the runner gives up; a 16 MiB value takes seconds.
const REQUEST_TIMEOUT_MS = Number(process.env.TITANPL_SERVER_REQUEST_TIMEOUT_MS ?? 25_000);

type Reply = { ok: true; value?: unknown } | { ok: false; error: ErrorBody };
type Req = { id: number; op: unknown; dir?: unknown; args?: unknown; client?: unknown };

async function send(message: unknown): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(message)}\n`)) await once(process.stdout, 'drain');
}

const log = (s: string) => process.stderr.write(`titanpl-server driver: ${s}\n`);

/** A started server, its readiness and working directory; a failed start shows at the first request that waits for it. */
interface Started {
  server: TitanServer;
  ready: Promise<void>;
  workdir: WorkDir;
  /** Whether it has served a store (a durable library has loaded its files then). */
  used: boolean;
}
function startServer(workdir = WorkDir.create()): Started {
  const server = new TitanServer(LIBRARY.dist, workdir.path);
  const ready = server.ready();
  ready.catch(() => {});
  return { server, ready, workdir, used: false };
}

/** SIGKILL a server and remove its working directory (unless it is a store's dir). */
async function stop(s: Started): Promise<void> {
  await s.server.kill();
  s.workdir.remove();
}

let current: Started = startServer();
/** One more server started ahead, so a restart or a replacement does not wait ~1 s for start-up. */
let spare: Started = startServer();
// However this process ends (end of input, an unreadable request, a runner gone so stdout breaks), its servers end with it.
process.on('exit', () => {
  for (const s of [current, spare]) {
    void s.server.kill(); // the SIGKILL is sent at once
    s.workdir.remove();
  }
});
process.stdout.on('error', () => process.exit(1));
let openDir: string | null = null;
const openedDirs = new Set<string>();
const sessionIds = new Set<string>();

/** Switch to the spare server (the old one is killed if still alive) and start the next spare. */
function replaceServer(): void {
  void stop(current);
  current = spare;
  spare = startServer();
}

async function freshServer(): Promise<void> {
  replaceServer();
  await current.ready;
}

/**
 * A durable library's open: the store's dir becomes the working directory of a server that has not
 * touched its storage, so it loads the files there. The first store of this driver process gets a
 * server started in its dir (~1 s), so a traced driver (CRASH-POWERLOSS) shows no rename of the
 * dir; later ones take the spare, whose directory replaces the store's (workdir.ts).
 */
async function openDurable(dir: string): Promise<void> {
  if (openedDirs.size === 0) {
    await stop(current);
    current = startServer(WorkDir.store(dir));
  } else {
    if (current.used) {
      await stop(current); // it must not write into its dir any more
      current = spare;
      spare = startServer();
    }
    try {
      current.workdir.becomeStore(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      await stop(current); // another filesystem: start one in the dir itself
      current = startServer(WorkDir.store(dir));
    }
  }
  current.used = true;
  await current.ready;
}

/** One request to the app's reset action; a server that cannot be emptied is replaced. */
async function emptyServer(): Promise<void> {
  await current.ready;
  // A NUL aborts the server (so such a call stored nothing), and would abort it again here.
  const ids = [...sessionIds].filter((id) => !id.includes('\0'));
  sessionIds.clear();
  try {
    const r = (await current.server.post('/reset', { ids: ids.map(encodeString) }, 0, REQUEST_TIMEOUT_MS)) as { keysLeft?: unknown };
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
  const started = current;
  const s = started.server;
  try {
    await started.ready; // a server that failed to start is replaced like one that died
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
      (DURABLE ? 'a fresh server was started on the same files' : 'a fresh server was started: the store is empty again');
    log(message);
    if (current === started) {
      replaceServer();
      if (DURABLE && openDir !== null) await openDurable(openDir);
    }
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
  return untagged(op, await callAction(op, tagged(op, args as string[]), typeof req.client === 'number' ? req.client : 0));
}

async function handleControl(req: Req): Promise<Reply> {
  if (req.op === 'open') {
    if (openDir !== null) throw new BadRequest('a store is already open in this process; close it first');
    if (typeof req.dir !== 'string') throw new BadRequest('open needs a string "dir"');
    if (DURABLE) await openDurable(req.dir);
    else if (openedDirs.has(req.dir)) await freshServer();
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
  await current.ready;
  await send({
    protocol: PROTOCOL_NAME,
    version: 2,
    clients: true,
    name: `titan-server 7.0.1 + ${LIBRARY.label}${TAG === null ? '' : ' [workaround: values tagged, "" read as absent]'}`,
    capabilities: { persistence: LIBRARY.persistence, sharing: 'process' },
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
        await Promise.all([stop(current), stop(spare)]);
        process.exit(3);
      }
      dispatch(req);
    }
  }
  await Promise.all([barrier, ...queues.values()]);
  await Promise.all([stop(current), stop(spare)]);
  process.exit(0);
}

await main();
