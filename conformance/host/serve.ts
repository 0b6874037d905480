/**
 * Serve an implementation module over the driver protocol (spec/PROTOCOL.md) on stdin/stdout:
 *   node --import tsx conformance/host/serve.ts <module>
 * Protocol version 2 with clients: requests of one client are handled in order, different clients'
 * concurrently on the one open store (so an async store's operations interleave); open and close
 * wait for everything before them. stdout carries only protocol lines: console output of the
 * module goes to stderr.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { implementationProblem, type Implementation, type Storage } from '../../spec/contract.js';
import { OP_ARITY, PROTOCOL_NAME, PROTOCOL_VERSION, isOpName, type Hello } from '../driver/protocol.js';
import { BadRequest, serveDriver } from './serve-loop.js';

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
  await serveDriver({
    hello,
    handle,
    // EOF: the runner is done; close the store so a durable one persists.
    async end() {
      const s = storage as Storage | null;
      if (s?.close) await s.close();
    },
  });
}

await main();
