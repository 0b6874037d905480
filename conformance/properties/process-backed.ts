/**
 * Stores that live in a process of their own, for checks that kill processes: the implementation
 * under test itself when it is a driver implementation, or its module served by conformance/host/.
 */
import type { CheckContext } from '../check.js';
import { Harness } from '../harness.js';
import { compiledHostCommand } from '../host/compiled.js';
import { driverImplementation, isDriverImplementation, type DriverImplementation, type DriverStorage } from '../driver/client.js';

/** Why a check needing real processes cannot run here, or null when it can. */
export function processSkipReason(ctx: Pick<CheckContext, 'modulePath' | 'impl'>): string | null {
  if (isDriverImplementation(ctx.impl) || ctx.modulePath) return null;
  return 'needs a store in its own process: run it as a driver (--driver) or give a module file to host (--isolation process)';
}

/** The command that starts the store in a process of its own: the driver's, or its module's compiled host. */
export async function storeCommand(ctx: Pick<CheckContext, 'modulePath' | 'impl'>): Promise<string> {
  return isDriverImplementation(ctx.impl) ? ctx.impl.command : compiledHostCommand(ctx.modulePath!);
}

/** One open store in its own process, behind the harness. */
export interface ProcessStore {
  readonly dir: string;
  readonly storage: DriverStorage;
  readonly h: Harness;
}

export class ProcessBacked {
  private constructor(
    readonly impl: DriverImplementation,
    private readonly ctx: CheckContext,
  ) {}

  /**
   * The driver implementation under test, or the module hosted in fresh processes (disposed after the check).
   * `processes`: how many the check uses in all (a closed process serves the next open), so no spare is started
   * beyond them; a process that dies early is replaced on demand.
   */
  static async from(ctx: CheckContext, opts: { requestTimeoutMs?: number; processes: number }): Promise<ProcessBacked> {
    if (isDriverImplementation(ctx.impl)) return new ProcessBacked(ctx.impl, ctx);
    if (!ctx.modulePath) throw new Error(processSkipReason(ctx)!);
    const impl = await driverImplementation(await compiledHostCommand(ctx.modulePath), {
      requestTimeoutMs: opts.requestTimeoutMs ?? ctx.options.timeoutMs,
      echoStderr: ctx.options.driverStderr,
      prespawn: 3, // every restart needs a fresh process: have a few starting while the check works (~0.2 s each)
      processLimit: opts.processes,
    });
    ctx.defer(() => impl.dispose());
    return new ProcessBacked(impl, ctx);
  }

  /** Open on `dir` (default: a new scratch dir). The store is killed after the check if still open. */
  async open(dir?: string): Promise<ProcessStore> {
    const d = dir ?? (await this.ctx.tmpdir());
    const storage = await this.impl.open({ dir: d });
    this.ctx.defer(() => storage.kill());
    const h = new Harness(storage, d, this.ctx.options.timeoutMs);
    this.ctx.opened?.push(h);
    return { dir: d, storage, h };
  }

  /** A real restart: SIGKILL the store's process (no close, no flush), then a fresh process opens the same dir. */
  async killAndReopen(s: ProcessStore): Promise<ProcessStore> {
    await s.storage.kill();
    return this.open(s.dir);
  }
}
