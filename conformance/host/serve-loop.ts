/**
 * The serving side of the driver protocol (spec/PROTOCOL.md), version 2 with clients, for any
 * host: the hello, one JSON line per request, requests of one client in order and different
 * clients' concurrently, open and close after everything before them, and requests a host marks
 * `immediate` (a nemesis fault) answered at once, beside the clients'. stdout carries only
 * protocol lines: console output goes to stderr.
 */
import { once } from 'node:events';
import { LineSplitter } from '../driver/lines.js';
import type { ErrorBody, Hello } from '../driver/protocol.js';

const protocolOut = process.stdout;
const writeProtocol = protocolOut.write.bind(protocolOut) as (s: string) => boolean;
// Anything else the process prints must not corrupt the protocol stream.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
console.log = console.info = console.debug = console.error;

async function send(message: unknown): Promise<void> {
  if (!writeProtocol(`${JSON.stringify(message)}\n`)) await once(protocolOut, 'drain');
}

/** A request the host cannot serve: answered as an "Error" whose message starts "bad request:". */
export class BadRequest extends Error {}

/** The error's own name travels as its type, so the runner reports a URIError as a URIError. */
function errorBody(e: unknown): ErrorBody {
  if (e instanceof Error) return { type: e instanceof TypeError ? 'TypeError' : e.name || 'Error', message: e.message };
  return { type: 'Error', message: `non-Error thrown: ${String(e)}` };
}

export interface Served {
  hello: Hello;
  handle(req: Record<string, unknown>): Promise<unknown>;
  /** Requests answered as soon as they arrive, outside every client's queue. */
  immediate?(req: Record<string, unknown>): boolean;
  /** At stdin EOF, after every request was answered. */
  end(): Promise<void>;
}

/** Say hello, serve stdin until EOF, call `end`, exit 0. An unreadable line exits with status 3. */
export async function serveDriver(served: Served): Promise<never> {
  await send(served.hello);
  async function answer(req: Record<string, unknown>): Promise<void> {
    try {
      const value = await served.handle(req);
      // `undefined` (a mutator, or a get that wrongly returned nothing) is sent without "value".
      await send(value === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, value });
    } catch (e) {
      await send({ id: req.id, ok: false, error: e instanceof BadRequest ? { type: 'Error', message: `bad request: ${e.message}` } : errorBody(e) });
    }
  }
  const queues = new Map<unknown, Promise<void>>();
  const loose = new Set<Promise<void>>();
  let barrier: Promise<void> = Promise.resolve();
  function dispatch(req: Record<string, unknown>): void {
    if (served.immediate?.(req)) {
      const p: Promise<void> = answer(req).finally(() => loose.delete(p));
      loose.add(p);
      return;
    }
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
  await Promise.all([barrier, ...queues.values(), ...loose]);
  await served.end();
  process.exit(0);
}
