/**
 * Serve an implementation module over the driver protocol (spec/PROTOCOL.md) on stdin/stdout:
 *   node --import tsx conformance/host/serve.ts <module>
 * Protocol version 2 with clients: requests of one client are handled in order, different clients'
 * concurrently on the one open store (so an async store's operations interleave); open and close
 * wait for everything before them. stdout carries only protocol lines: console output of the
 * module goes to stderr.
 */
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { implementationProblem, type Implementation, type Storage } from '../../spec/contract.js';
import { LineSplitter } from '../driver/lines.js';
import { OP_ARITY, PROTOCOL_NAME, PROTOCOL_VERSION, isOpName, type ErrorBody, type Hello } from '../driver/protocol.js';

const protocolOut = process.stdout;
const writeProtocol = protocolOut.write.bind(protocolOut) as (s: string) => boolean;
// Anything else the module prints must not corrupt the protocol stream.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
console.log = console.info = console.debug = console.error;

async function send(message: unknown): Promise<void> {
  if (!writeProtocol(`${JSON.stringify(message)}\n`)) await once(protocolOut, 'drain');
}

/** The error's own name travels as its type, so the runner reports a URIError as a URIError. */
function errorBody(e: unknown): ErrorBody {
  if (e instanceof Error) return { type: e instanceof TypeError ? 'TypeError' : e.name || 'Error', message: e.message };
  return { type: 'Error', message: `non-Error thrown: ${String(e)}` };
}

class BadRequest extends Error {}

async function main(): Promise<void> {
  const modulePath = process.argv[2];
  if (!modulePath) {
    console.error('usage: node --import tsx conformance/host/serve.ts <implementation module>');
    process.exit(2);
  }
  const impl = ((await import(pathToFileURL(resolve(modulePath)).href)) as { default: unknown }).default;
  const problem = implementationProblem(impl);
  if (problem) {
    console.error(`${modulePath}: ${problem}`);
    process.exit(2);
  }
  const implementation = impl as Implementation;
  const shared = implementation.createShared ? await implementation.createShared() : undefined;
  let storage: Storage | null = null;

  async function handle(req: Record<string, unknown>): Promise<unknown> {
    const op = req.op;
    if (op === 'open') {
      if (storage) throw new BadRequest('a store is already open in this process; close it first');
      if (typeof req.dir !== 'string') throw new BadRequest('open needs a string "dir"');
      storage = await implementation.open({ dir: req.dir, shared });
      return null;
    }
    if (op === 'close') {
      const s = storage;
      storage = null;
      if (s?.close) await s.close();
      return null;
    }
    if (!isOpName(op)) throw new BadRequest(`unknown op ${JSON.stringify(op)}`);
    if (!storage) throw new BadRequest(`${op} before open`);
    const args = req.args;
    if (!Array.isArray(args) || args.length !== OP_ARITY[op] || !args.every((a) => typeof a === 'string')) {
      throw new BadRequest(`${op} takes ${OP_ARITY[op]} string arguments`);
    }
    const [ns, method] = op.split('.') as ['ls' | 'session', string];
    const target = storage[ns] as unknown as Record<string, (...a: string[]) => unknown>;
    if (typeof target?.[method] !== 'function') throw Object.assign(new Error(`the storage has no ${op} method`), { name: 'MissingMethod' });
    return await target[method]!(...(args as string[]));
  }

  const hello: Hello = { protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION, clients: true, name: implementation.name, capabilities: implementation.capabilities };
  await send(hello);

  async function answer(req: Record<string, unknown>): Promise<void> {
    try {
      const value = await handle(req);
      // `undefined` (a mutator, or a get that wrongly returned nothing) is sent without "value".
      await send(value === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, value });
    } catch (e) {
      await send({ id: req.id, ok: false, error: e instanceof BadRequest ? { type: 'Error', message: `bad request: ${e.message}` } : errorBody(e) });
    }
  }
  const queues = new Map<unknown, Promise<void>>();
  let barrier: Promise<void> = Promise.resolve();
  function dispatch(req: Record<string, unknown>): void {
    if (req.op === 'open' || req.op === 'close') {
      const before = Promise.all([barrier, ...queues.values()]);
      queues.clear();
      barrier = before.then(() => answer(req));
      return;
    }
    const client = typeof req.client === 'number' ? req.client : 0;
    queues.set(client, (queues.get(client) ?? barrier).then(() => answer(req)));
  }

  const splitter = new LineSplitter();
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    for (const line of splitter.push(chunk)) {
      let req: Record<string, unknown>;
      try {
        if (!line.ok) throw new Error('not UTF-8');
        req = JSON.parse(line.text) as Record<string, unknown>;
        if (typeof req?.id !== 'number') throw new Error('no numeric id');
      } catch (e) {
        console.error(`host: unreadable request (${(e as Error).message}); exiting`);
        process.exit(3);
      }
      dispatch(req);
    }
  }
  await Promise.all([barrier, ...queues.values()]);
  // EOF: the runner is done; close the store so a durable one persists, then exit.
  const s = storage as Storage | null;
  if (s?.close) await s.close();
  process.exit(0);
}

await main();
