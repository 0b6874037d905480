/**
 * A replicated Redis deployment on loopback addresses of the current network namespace: one
 * primary and two replicas (redis-server, 127.0.0.2–.4:6379) and three Sentinels
 * (redis-sentinel, 127.0.0.5–.7:26379). Meant to run inside `unshare --net` (host.ts), so the
 * addresses, the ports and the nftables table that makes partitions exist only there.
 *
 * Every node sets `bind-source-addr` to its own address: otherwise node-to-node links start from
 * 127.0.0.1 and no partition by address is possible. Config files live in a private writable dir
 * because Sentinel and the nodes rewrite them. Faults: kill -9 (restart on heal), SIGSTOP
 * (SIGCONT on heal), isolation of a node and some clients' addresses from every other address
 * (an nftables input-hook table, deleted on heal).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

export const MASTER_NAME = 'titan';
export const NODE_PORT = 6379;
export const SENTINEL_PORT = 26379;
const NFT_TABLE = 'titan_nemesis';
/** Client k of the store connects from this address, so a partition can cut it off with the primary. */
export const clientAddress = (k: number): string => `127.0.0.${10 + k}`;

export type NodeName = 'n1' | 'n2' | 'n3';
export const NODE_NAMES: readonly NodeName[] = ['n1', 'n2', 'n3'];
const SENTINEL_NAMES = ['s1', 's2', 's3'] as const;

export interface DeploymentOptions {
  /** `min-replicas-to-write` on every node (0: off). */
  minReplicasToWrite?: number;
  /** Client addresses a partition may name (clientAddress(k) for k < clients). Default 4. */
  clients?: number;
}

export interface NodeStatus {
  name: NodeName;
  address: string;
  state: 'up' | 'paused' | 'killed';
  /** From INFO replication, when the node answered. */
  role?: 'master' | 'slave';
  masterHost?: string;
  linkUp?: boolean;
  offset?: number;
}

export interface DeploymentStatus {
  /** The primary a majority of Sentinels names, or null. */
  primary: NodeName | null;
  nodes: NodeStatus[];
  /** One primary that a Sentinel majority names, every node up and replicating from it at its offset. */
  converged: boolean;
  partitioned: boolean;
}

function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return join(dir, binary);
    } catch {
      // not here
    }
  }
  return null;
}

/** Why this machine cannot run the deployment (a missing program), or null. */
export function deploymentPrerequisiteProblem(): string | null {
  const missing = ['redis-server', 'redis-sentinel', 'nft', 'unshare'].filter((b) => onPath(b) === null && !['/usr/sbin/', '/sbin/'].some((d) => exists(d + b)));
  return missing.length ? `${missing.join(', ')} not found (apt-get install -y redis-server redis-sentinel nftables util-linux)` : null;
}

function exists(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** nft lives in /usr/sbin, which a non-root PATH may lack. */
const nftBinary = () => onPath('nft') ?? '/usr/sbin/nft';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One command on a fresh short-lived connection from 127.0.0.1 (outside every partition): a god's view. */
async function admin(host: string, port: number, args: string[], timeoutMs = 800): Promise<unknown> {
  const c = new Redis({ host, port, lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, enableReadyCheck: false });
  c.on('error', () => {});
  try {
    await c.connect();
    return await c.call(args[0]!, ...args.slice(1));
  } finally {
    c.disconnect();
  }
}

const PREFIX = 'titan-replicated-';

/** Data dirs of deployment hosts that died without cleaning up (SIGKILL): their pid is gone. */
function sweepStale(base: string): void {
  for (const name of readdirSync(base)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}

export class Deployment {
  readonly dir: string;
  private readonly procs = new Map<string, ChildProcess>();
  private readonly states = new Map<NodeName, 'up' | 'paused' | 'killed'>();
  private partitioned = false;
  private stopped = false;

  constructor(private readonly options: DeploymentOptions = {}) {
    const base = exists('/dev/shm') ? '/dev/shm' : tmpdir();
    sweepStale(base);
    this.dir = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  }

  static address(name: NodeName | (typeof SENTINEL_NAMES)[number]): string {
    const i = [...NODE_NAMES, ...SENTINEL_NAMES].indexOf(name);
    return `127.0.0.${2 + i}`;
  }

  private nodeConfig(name: NodeName): string {
    const addr = Deployment.address(name);
    const lines = [
      `bind ${addr}`,
      `bind-source-addr ${addr}`,
      `port ${NODE_PORT}`,
      `dir ${join(this.dir, name)}`,
      'protected-mode no',
      'daemonize no',
      'logfile ""',
      'save ""',
      // A restarted node comes back with what it acknowledged, so a kill -9 is a crash, not a wipe.
      'appendonly yes',
      'appendfsync always',
      'repl-ping-replica-period 1',
      'repl-timeout 5',
      `min-replicas-to-write ${this.options.minReplicasToWrite ?? 0}`,
      'min-replicas-max-lag 5',
    ];
    if (name !== 'n1') lines.push(`replicaof ${Deployment.address('n1')} ${NODE_PORT}`);
    return lines.join('\n') + '\n';
  }

  private sentinelConfig(name: (typeof SENTINEL_NAMES)[number]): string {
    const addr = Deployment.address(name);
    return [
      `bind ${addr}`,
      `bind-source-addr ${addr}`,
      `port ${SENTINEL_PORT}`,
      `dir ${join(this.dir, name)}`,
      'protected-mode no',
      'daemonize no',
      'logfile ""',
      `sentinel monitor ${MASTER_NAME} ${Deployment.address('n1')} ${NODE_PORT} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 4000`,
      `sentinel parallel-syncs ${MASTER_NAME} 2`,
    ].join('\n') + '\n';
  }

  private spawnProcess(name: string, binary: string): void {
    const child = spawn(binary, [join(this.dir, name, 'redis.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    child.on('error', (e) => process.stderr.write(`[${name}] ${e.message}\n`));
    this.procs.set(name, child);
  }

  /** Write the configs, start every process, and wait until Sentinels know every replica and each other. */
  async start(timeoutMs = 20_000): Promise<void> {
    for (const name of [...NODE_NAMES, ...SENTINEL_NAMES]) {
      mkdirSync(join(this.dir, name), { recursive: true });
      const conf = (NODE_NAMES as readonly string[]).includes(name) ? this.nodeConfig(name as NodeName) : this.sentinelConfig(name as (typeof SENTINEL_NAMES)[number]);
      writeFileSync(join(this.dir, name, 'redis.conf'), conf);
    }
    for (const n of NODE_NAMES) {
      this.spawnProcess(n, 'redis-server');
      this.states.set(n, 'up');
    }
    for (const s of SENTINEL_NAMES) this.spawnProcess(s, 'redis-sentinel');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await Promise.all(
        SENTINEL_NAMES.map(async (s) => {
          try {
            const replicas = (await admin(Deployment.address(s), SENTINEL_PORT, ['SENTINEL', 'REPLICAS', MASTER_NAME])) as unknown[];
            const sentinels = (await admin(Deployment.address(s), SENTINEL_PORT, ['SENTINEL', 'SENTINELS', MASTER_NAME])) as unknown[];
            return replicas.length === 2 && sentinels.length === 2;
          } catch {
            return false;
          }
        }),
      );
      if (ready.every(Boolean) && (await this.status()).converged) return;
      if (Date.now() > deadline) throw new Error(`the deployment was not ready within ${timeoutMs} ms (Sentinels ready: ${ready.join(', ')})`);
      await sleep(200);
    }
  }

  private child(name: NodeName): ChildProcess {
    const c = this.procs.get(name);
    if (!c) throw new Error(`no process for ${name}`);
    return c;
  }

  /** kill -9 a node; heal() restarts it from its (rewritten) config and append-only file. */
  kill(name: NodeName): void {
    if (this.states.get(name) === 'killed') return;
    const c = this.child(name);
    c.kill('SIGKILL');
    this.states.set(name, 'killed');
  }

  pause(name: NodeName): void {
    if (this.states.get(name) !== 'up') return;
    this.child(name).kill('SIGSTOP');
    this.states.set(name, 'paused');
  }

  /** Drop every packet between {node, the given clients} and every other node, Sentinel and client. */
  isolate(name: NodeName, clients: readonly number[] = []): void {
    const inside = [Deployment.address(name), ...clients.map(clientAddress)];
    const all = [...NODE_NAMES, ...SENTINEL_NAMES].map((n) => Deployment.address(n)).concat(Array.from({ length: this.options.clients ?? 4 }, (_, k) => clientAddress(k)));
    const outside = all.filter((a) => !inside.includes(a));
    this.nft(`
      table inet ${NFT_TABLE} {
        chain input {
          type filter hook input priority 0; policy accept;
          ip saddr { ${inside.join(', ')} } ip daddr { ${outside.join(', ')} } drop
          ip saddr { ${outside.join(', ')} } ip daddr { ${inside.join(', ')} } drop
        }
      }`);
    this.partitioned = true;
  }

  private nft(script: string): void {
    const r = spawnSync(nftBinary(), ['-f', '-'], { input: script, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nft failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  }

  /** End every fault: remove the partition, resume paused nodes, restart killed ones. */
  async heal(): Promise<void> {
    if (this.partitioned) {
      this.nft(`delete table inet ${NFT_TABLE}`);
      this.partitioned = false;
    }
    for (const n of NODE_NAMES) {
      const s = this.states.get(n);
      if (s === 'paused') this.child(n).kill('SIGCONT');
      if (s === 'killed') {
        await new Promise<void>((r) => (this.child(n).exitCode !== null || this.child(n).signalCode !== null ? r() : this.child(n).once('exit', () => r())));
        this.spawnProcess(n, 'redis-server');
      }
      this.states.set(n, 'up');
    }
  }

  async status(): Promise<DeploymentStatus> {
    const named = await Promise.all(
      SENTINEL_NAMES.map(async (s) => {
        try {
          const r = (await admin(Deployment.address(s), SENTINEL_PORT, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME])) as string[] | null;
          return r?.[0] ?? null;
        } catch {
          return null;
        }
      }),
    );
    const votes = new Map<string, number>();
    for (const a of named) if (a) votes.set(a, (votes.get(a) ?? 0) + 1);
    const [addr] = [...votes].find(([, n]) => n >= 2) ?? [];
    const primary = NODE_NAMES.find((n) => Deployment.address(n) === addr) ?? null;
    const nodes = await Promise.all(
      NODE_NAMES.map(async (name): Promise<NodeStatus> => {
        const st: NodeStatus = { name, address: Deployment.address(name), state: this.states.get(name) ?? 'killed' };
        if (st.state !== 'up') return st;
        try {
          const info = String(await admin(st.address, NODE_PORT, ['INFO', 'replication']));
          const field = (k: string) => new RegExp(`^${k}:(.*)$`, 'm').exec(info)?.[1]?.trim();
          st.role = field('role') as 'master' | 'slave';
          st.masterHost = field('master_host');
          st.linkUp = field('master_link_status') === 'up';
          st.offset = Number(st.role === 'master' ? field('master_repl_offset') : field('slave_repl_offset'));
        } catch {
          // not answering
        }
        return st;
      }),
    );
    const p = nodes.find((n) => n.name === primary);
    const converged =
      !this.partitioned &&
      p?.role === 'master' &&
      nodes.every((n) => n.state === 'up' && (n === p || (n.role === 'slave' && n.masterHost === p.address && n.linkUp && n.offset === p.offset)));
    return { primary, nodes, converged: Boolean(converged), partitioned: this.partitioned };
  }

  /** Wait until status().converged (one primary, every replica caught up), or throw after timeoutMs. */
  async converge(timeoutMs = 40_000): Promise<DeploymentStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status();
      if (s.converged) return s;
      if (Date.now() > deadline) throw new Error(`the deployment did not converge within ${timeoutMs} ms: ${JSON.stringify(s)}`);
      await sleep(250);
    }
  }

  /** SIGKILL every process (SIGCONT is not needed: SIGKILL ends a stopped process) and delete the data dir. */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.procs.values()) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    if (this.partitioned) spawnSync(nftBinary(), ['delete', 'table', 'inet', NFT_TABLE]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    const exits = [...this.procs.values()].filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once('exit', r)));
    this.stopNow();
    await Promise.race([Promise.all(exits), sleep(3000)]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
