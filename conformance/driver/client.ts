/**
 * The runner side of the driver protocol (spec/PROTOCOL.md): an `Implementation` backed by driver
 * processes, so stores written in any language (or any implementation module, through
 * conformance/host/) are checked through real processes, and restarts can be real SIGKILLs.
 *
 * One process serves one open store at a time. `close()` returns the process to an idle pool for
 * the next `open`; `kill()` SIGKILLs it (a crash: no close, no flush) and the next `open` spawns a
 * fresh process. Argument conversion (String(), TypeError for Symbols and throwing toString)
 * happens here, before anything is sent, exactly as TitanPL's JS wrapper does: drivers only ever
 * receive strings.
 */
import type { Capabilities, Implementation, OpenOptions, Storage } from '../../spec/contract.js';
import { toStorageString } from '../../spec/conversion.js';
import { ARG_LABELS, OPERATIONS, namespacesOf, type OpName } from '../../spec/operations.js';
import { DriverError } from './errors.js';
import { DriverProcess, type DriverProcessOptions } from './process.js';
import { servesClients, type NemesisCapability, type NemesisRequest } from './protocol.js';

export { DriverError, type DriverErrorKind } from './errors.js';
export { PROTOCOL_NAME, PROTOCOL_VERSION } from './protocol.js';

export interface DriverOptions extends DriverProcessOptions {
  /** Keep this many idle processes started ahead (default 0), so a restart after kill() does not wait for start-up. */
  prespawn?: number;
  /** Start no spare beyond this many processes in all (the first included): a check that knows its restarts wastes none. */
  processLimit?: number;
}

/** A Storage served by a driver process. */
export interface DriverStorage extends Storage {
  close(): Promise<void>;
  /** SIGKILL the process serving this store: no close, no flush. A restart is kill() then open() on the same dir. */
  kill(): Promise<void>;
  /** The serving process's id (for diagnostics). */
  readonly pid: number | undefined;
  /** Protocol version 2: the same store seen by client `n`, whose requests the driver may serve concurrently with other clients'. */
  client(n: number): Pick<Storage, 'ls' | 'session'>;
  /** Protocol section 11: inject a fault into the driver's deployment, heal, or ask its status (answered beside the clients' requests). */
  nemesis(request: NemesisRequest, timeoutMs?: number): Promise<unknown>;
}

export interface DriverImplementation extends Implementation {
  /** The shell command that starts a driver process. */
  readonly command: string;
  open(options: OpenOptions): Promise<DriverStorage>;
  /** End every driver process (idle ones get EOF; open stores are killed). */
  dispose(): Promise<void>;
  /** The driver's hello declared concurrent clients (protocol version 2, `"clients": true`). */
  readonly servesClients: boolean;
  /** The faults the driver's hello offers (protocol section 11), if any. */
  readonly nemesis?: NemesisCapability;
}

const drivers = new WeakSet<object>();

/** Is `impl` backed by driver processes (so its stores can be killed)? */
export function isDriverImplementation(impl: unknown): impl is DriverImplementation {
  return typeof impl === 'object' && impl !== null && drivers.has(impl);
}

/** Does this storage belong to a process that can be SIGKILLed? */
export function isKillable(s: Storage): s is DriverStorage {
  return typeof (s as Partial<DriverStorage>).kill === 'function';
}

/** A real restart: SIGKILL the store's process, start a fresh one, open the same dir. */
export async function killAndReopen(impl: Implementation, storage: DriverStorage, dir: string): Promise<DriverStorage> {
  await storage.kill();
  return (await impl.open({ dir })) as DriverStorage;
}

/**
 * Start `command` (run with `sh -c`), read its hello, and return an Implementation over it.
 * Rejects with a DriverError when the driver does not start, does not say hello in time, or
 * speaks another protocol version.
 */
export async function driverImplementation(command: string, opts: DriverOptions = {}): Promise<DriverImplementation> {
  const first = await DriverProcess.start(command, opts);
  const idle: DriverProcess[] = [first];
  const all = new Set<DriverProcess>([first]);
  const starting = new Set<Promise<void>>();
  let disposed = false;
  const { name, capabilities } = first.hello;

  /** Start processes in the background until `prespawn` are idle or starting; a failure shows up at the next open instead. */
  function prespawn(): void {
    while (!disposed && idle.filter((p) => p.alive).length + starting.size < (opts.prespawn ?? 0) && all.size + starting.size < (opts.processLimit ?? Infinity)) {
      const s: Promise<void> = DriverProcess.start(command, opts)
        .then((p) => {
          all.add(p);
          if (disposed) return p.kill();
          idle.push(p);
        })
        .catch(() => {})
        .finally(() => starting.delete(s));
      starting.add(s);
    }
  }

  async function takeProcess(): Promise<DriverProcess> {
    for (;;) {
      for (let p = idle.pop(); p; p = idle.pop()) {
        if (p.alive) {
          prespawn();
          return p;
        }
      }
      if (starting.size === 0) break;
      await Promise.race(starting);
    }
    const p = await DriverProcess.start(command, opts);
    all.add(p);
    prespawn();
    return p;
  }

  const impl: DriverImplementation = {
    name,
    capabilities: { ...capabilities } as Capabilities,
    command,
    servesClients: servesClients(first.hello),
    nemesis: first.hello.nemesis,
    async open({ dir }: OpenOptions): Promise<DriverStorage> {
      const proc = await takeProcess();
      try {
        await proc.request('open', { dir });
      } catch (e) {
        if (proc.alive) idle.push(proc); // the store refused to open (e.g. an unreadable file); the process is fine
        throw e;
      }
      return storageOver(proc, () => {
        if (proc.alive) idle.push(proc);
      });
    },
    async dispose(): Promise<void> {
      disposed = true;
      await Promise.all(starting);
      await Promise.all([...all].map((p) => (idle.includes(p) ? p.end() : p.kill())));
      idle.length = 0;
      all.clear();
    },
  };
  drivers.add(impl);
  return impl;
}

function storageOver(proc: DriverProcess, release: () => void): DriverStorage {
  let state: 'open' | 'closed' | 'killed' = 'open';
  const closedError = () => new DriverError('closed', 'this storage was closed; open the dir again to use it', proc.command);

  function call(op: OpName, raw: unknown[], client?: number): Promise<unknown> {
    if (state === 'closed') return Promise.reject(closedError());
    let args: string[];
    try {
      args = OPERATIONS[op].args.map((name, i) => toStorageString(raw[i], ARG_LABELS[name]));
    } catch (e) {
      return Promise.reject(e);
    }
    const result = proc.request(op, client === undefined ? { args } : { args, client });
    return OPERATIONS[op].result === 'none' ? result.then(() => undefined) : result;
  }
  const view = (client?: number) => {
    const { ls, session } = namespacesOf((op) => (...args) => call(op, args, client));
    return { ls: ls as unknown as DriverStorage['ls'], session: session as unknown as DriverStorage['session'] };
  };

  return {
    ...view(),
    client: (n: number) => view(n),
    nemesis: (request, timeoutMs) => (state === 'open' ? proc.request('nemesis', request, timeoutMs) : Promise.reject(closedError())),
    get pid() {
      return proc.pid;
    },
    async close() {
      if (state !== 'open') return;
      await proc.request('close');
      state = 'closed';
      release();
    },
    async kill() {
      if (state === 'closed') return;
      state = 'killed';
      await proc.kill();
    },
  };
}
