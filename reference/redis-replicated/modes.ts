/**
 * The write modes of the replicated Redis store and what each declares. Asynchronous replication
 * acknowledges a write the primary alone holds, so a failover may lose it: those modes do not
 * declare `durable`. `WAIT n` after every write acknowledges it only once n replicas hold it; that
 * is not consensus (an isolated primary still applies the write, and a failed WAIT leaves it
 * there), and whether it keeps every acknowledged write across a failover is what
 * FAILOVER-ACKED-KEPT checks.
 */
import type { Capabilities } from '../../spec/contract.js';

export interface Mode {
  name: string;
  /** `WAIT replicas` after every write (0: none). */
  waitReplicas: number;
  /** `min-replicas-to-write` on every node (0: off). */
  minReplicasToWrite: number;
  capabilities: Capabilities;
}

export const MODES = {
  async: { name: 'async', waitReplicas: 0, minReplicasToWrite: 0, capabilities: { persistence: 'volatile', sharing: 'cluster' } },
  wait1: { name: 'wait1', waitReplicas: 1, minReplicasToWrite: 0, capabilities: { persistence: 'durable', sharing: 'cluster' } },
  wait2: { name: 'wait2', waitReplicas: 2, minReplicasToWrite: 0, capabilities: { persistence: 'durable', sharing: 'cluster' } },
  minreplicas1: { name: 'minreplicas1', waitReplicas: 0, minReplicasToWrite: 1, capabilities: { persistence: 'volatile', sharing: 'cluster' } },
} as const satisfies Record<string, Mode>;

export type ModeName = keyof typeof MODES;
export const MODE_NAMES = Object.keys(MODES) as ModeName[];

/** How long a write waits for its replicas before it is reported as not acknowledged (ms). */
export const WAIT_TIMEOUT_MS = 1000;
