/**
 * The deployment host: a driver (spec/PROTOCOL.md, version 2 with clients and a nemesis, section
 * 11) that runs the replicated deployment (deployment.ts) inside the private network namespace it
 * was started in, serves the store to the runner's clients and injects the faults it is asked for.
 *   unshare --net node --import tsx reference/redis-replicated/host.ts --mode wait2 [--declare durable]
 * Client k connects through the Sentinels from 127.0.0.(10+k), on its own connection. Everything
 * it started (nodes, Sentinels, the nftables table, the data dir) is gone when it exits: at stdin
 * EOF, SIGINT, SIGTERM; a SIGKILL of its process group takes the nodes with it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { Capabilities, Storage } from '../../spec/contract.js';
import { isOpName, OP_ARITY, PROTOCOL_NAME, type Hello } from '../../conformance/driver/protocol.js';
import { BadRequest, serveDriver } from '../../conformance/host/serve-loop.js';
import { openRedisStorage } from '../redis.js';
import { sourcedSentinelConnector } from './connector.js';
import { clientAddress, Deployment, MASTER_NAME, NODE_NAMES, SENTINEL_PORT, type NodeName } from './deployment.js';
import { MODES, WAIT_TIMEOUT_MS, type ModeName } from './modes.js';

const CLIENTS = 4;
const COMMAND_TIMEOUT_MS = 1500;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fatal(message: string): never {
  console.error(`redis-replicated host: ${message}`);
  process.exit(2);
}

const modeName = (arg('mode') ?? 'wait2') as ModeName;
const mode = MODES[modeName] ?? fatal(`--mode must be one of ${Object.keys(MODES).join(', ')}`);
const declared = arg('declare');
if (declared !== undefined && declared !== 'durable' && declared !== 'volatile') fatal('--declare must be durable or volatile');
const capabilities: Capabilities = { ...mode.capabilities, ...(declared ? { persistence: declared as Capabilities['persistence'] } : {}) };

// Refuse to bind addresses and load packet filters in the machine's own network namespace.
if (!inPrivateNetworkNamespace()) fatal('run me in a private network namespace: unshare --net node --import tsx reference/redis-replicated/host.ts …');
spawnSync('ip', ['link', 'set', 'lo', 'up']);

/** The parent (the runner) lives in another network namespace, and ours has nothing but loopback. */
function inPrivateNetworkNamespace(): boolean {
  try {
    if (readlinkSync('/proc/self/ns/net') === readlinkSync(`/proc/${process.ppid}/ns/net`)) return false;
  } catch {
    // the parent's namespace is not readable: judge by the interfaces alone
  }
  // /proc/self/net/dev lists the interfaces of our own namespace (sysfs may show the machine's).
  const interfaces = readFileSync('/proc/self/net/dev', 'utf8').split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter(Boolean);
  return interfaces.every((i) => i === 'lo');
}

const deployment = new Deployment({ minReplicasToWrite: mode.minReplicasToWrite, clients: CLIENTS });
process.on('exit', () => deployment.stopNow());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(130));

// Hello at once; `open` waits until the deployment is ready (~10 s), so run the check with --timeout 30000.
const ready = deployment.start();
ready.catch((e: Error) => console.error(`redis-replicated host: ${e.message}`));

const sentinels = ['s1', 's2', 's3'].map((s) => ({ host: Deployment.address(s as 's1'), port: SENTINEL_PORT }));
let dir: string | null = null;
const stores = new Map<number, Promise<Storage>>();

function storeFor(client: number): Promise<Storage> {
  if (!dir) throw new BadRequest('storage operation before open');
  if (!Number.isInteger(client) || client < 0 || client >= CLIENTS) throw new BadRequest(`client must be 0…${CLIENTS - 1}`);
  let s = stores.get(client);
  if (!s) {
    s = openRedisStorage(
      {
        url: `redis://${MASTER_NAME}`,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        // A hung (paused, cut-off) primary must drop the connection, so the next command asks the Sentinels again.
        ioredis: { Connector: sourcedSentinelConnector({ sentinels, masterName: MASTER_NAME, localAddress: clientAddress(client) }) as never, socketTimeout: COMMAND_TIMEOUT_MS },
        waitForReplicas: mode.waitReplicas > 0 ? { replicas: mode.waitReplicas, timeoutMs: WAIT_TIMEOUT_MS } : undefined,
      },
      dir,
    );
    s.catch(() => stores.delete(client));
    stores.set(client, s);
  }
  return s;
}

async function closeAll(): Promise<void> {
  const all = [...stores.values()];
  stores.clear();
  await Promise.all(all.map((s) => s.then((x) => x.close?.()).catch(() => {})));
}

/** "primary" names the node a Sentinel majority names now. */
async function nodeOf(name: unknown): Promise<NodeName> {
  if (name === 'primary') {
    const p = (await deployment.status()).primary;
    if (!p) throw new Error('no Sentinel majority names a primary right now');
    return p;
  }
  if (!NODE_NAMES.includes(name as NodeName)) throw new BadRequest(`node must be "primary" or one of ${NODE_NAMES.join(', ')}`);
  return name as NodeName;
}

async function nemesis(req: Record<string, unknown>): Promise<unknown> {
  switch (req.action) {
    case 'kill':
    case 'pause': {
      const node = await nodeOf(req.node);
      if (req.action === 'kill') deployment.kill(node);
      else deployment.pause(node);
      return { node };
    }
    case 'isolate': {
      const node = await nodeOf(req.node);
      const clients = Array.isArray(req.clients) ? req.clients.map(Number) : [];
      deployment.isolate(node, clients);
      return { node, clients };
    }
    case 'heal':
      await deployment.heal();
      return null;
    case 'status':
      return deployment.status();
    case 'converge':
      return deployment.converge();
    default:
      throw new BadRequest(`unknown nemesis action ${JSON.stringify(req.action)}`);
  }
}

async function handle(req: Record<string, unknown>): Promise<unknown> {
  const op = req.op;
  if (op === 'nemesis') return ready.then(() => nemesis(req));
  if (op === 'open') {
    if (dir) throw new BadRequest('a store is already open in this process; close it first');
    if (typeof req.dir !== 'string') throw new BadRequest('open needs a string "dir"');
    await ready;
    dir = req.dir;
    await storeFor(0);
    return null;
  }
  if (op === 'close') {
    dir = null;
    await closeAll();
    return null;
  }
  if (!isOpName(op)) throw new BadRequest(`unknown op ${JSON.stringify(op)}`);
  const args = req.args;
  if (!Array.isArray(args) || args.length !== OP_ARITY[op] || !args.every((a) => typeof a === 'string')) throw new BadRequest(`${op} takes ${OP_ARITY[op]} string arguments`);
  const storage = await storeFor(typeof req.client === 'number' ? req.client : 0);
  const [ns, method] = op.split('.') as ['ls' | 'session', string];
  return await (storage[ns] as unknown as Record<string, (...a: string[]) => unknown>)[method]!(...(args as string[]));
}

const hello: Hello = {
  protocol: PROTOCOL_NAME,
  version: 2,
  clients: true,
  name: `redis-replicated/${mode.name}${declared ? `+declared-${declared}` : ''}`,
  capabilities,
  nemesis: { faults: ['kill', 'pause', 'isolate'], nodes: [...NODE_NAMES] },
};

await serveDriver({
  hello,
  handle,
  immediate: (req) => req.op === 'nemesis',
  async end() {
    await closeAll();
    await deployment.stop();
  },
});
