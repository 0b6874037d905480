/**
 * The driver protocol's messages (spec/PROTOCOL.md): one JSON object per line over a driver
 * process's stdin/stdout. Shared by the runner-side client and the Node host.
 */
import type { Capabilities } from '../../spec/contract.js';
import { OPERATIONS, OP_NAMES, isOpName, type OpName } from '../../spec/operations.js';
import { persistenceProblem } from '../../spec/persistence.js';

export { isOpName };

export const PROTOCOL_NAME = 'titan-storage-driver';
/** The newest version this runner speaks; it also speaks every version in SUPPORTED_VERSIONS. */
export const PROTOCOL_VERSION = 2;
export const SUPPORTED_VERSIONS: readonly number[] = [1, 2];

/** The driver's first line. */
export interface Hello {
  protocol: typeof PROTOCOL_NAME;
  version: number;
  name: string;
  capabilities: Capabilities;
  /** Version 2: requests may carry a `client` number; different clients are served concurrently and answered in any order. */
  clients?: boolean;
  /** Optional: the faults the driver can inject into its own deployment (section 11). */
  nemesis?: NemesisCapability;
}

/** The hello's `nemesis` field: which faults, on which nodes (section 11 of spec/PROTOCOL.md). */
export interface NemesisCapability {
  faults: NemesisFault[];
  nodes: string[];
}

export type NemesisFault = 'kill' | 'pause' | 'isolate';

/** A `nemesis` request: inject a fault, heal every fault, report the deployment's status, or wait until it converged. */
export type NemesisRequest =
  | { action: 'kill' | 'pause'; node: string }
  | { action: 'isolate'; node: string; clients?: number[] }
  | { action: 'heal' | 'status' | 'converge' };

/** Does this hello allow concurrent clients (version 2 and `"clients": true`)? */
export function servesClients(h: Hello): boolean {
  return h.version >= 2 && h.clients === true;
}

export type RequestOp = 'open' | 'close' | 'nemesis' | OpName;

export type Request =
  | { id: number; op: 'open'; dir: string }
  | { id: number; op: 'close' }
  | { id: number; op: OpName; args: string[]; client?: number }
  | ({ id: number; op: 'nemesis' } & NemesisRequest);

export interface ErrorBody {
  /** "TypeError" for rejected input; otherwise the error's own name ("Error", "URIError", …). */
  type: string;
  message: string;
}

export type Response = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: ErrorBody };

/** Every storage operation and how many string arguments it takes. */
export const OP_ARITY: Readonly<Record<OpName, number>> = Object.fromEntries(OP_NAMES.map((op) => [op, OPERATIONS[op].args.length])) as Record<OpName, number>;

/** Why `x` is not a valid hello (or null). The version is checked separately so its error can say which versions. */
export function helloProblem(x: unknown): string | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'the first line is JSON but not an object';
  const h = x as Record<string, unknown>;
  if (h.protocol !== PROTOCOL_NAME) return `"protocol" must be "${PROTOCOL_NAME}" (got ${JSON.stringify(h.protocol)})`;
  if (typeof h.version !== 'number' || !Number.isInteger(h.version)) return `"version" must be an integer (got ${JSON.stringify(h.version)})`;
  if (typeof h.name !== 'string' || h.name === '') return '"name" must be a non-empty string';
  const caps = h.capabilities as Record<string, unknown> | undefined;
  if (!caps || typeof caps !== 'object') return '"capabilities" must be an object';
  const persistence = persistenceProblem(caps.persistence);
  if (persistence) return persistence;
  if (caps.sharing !== 'isolate' && caps.sharing !== 'process' && caps.sharing !== 'cluster') return `capabilities.sharing must be "isolate", "process" or "cluster" (got ${JSON.stringify(caps.sharing)})`;
  return null;
}
