/** Errors of the driver protocol client: one class, a `kind` per problem, a message that names it. */

export type DriverErrorKind =
  /** The command could not be started at all. */
  | 'spawn-failed'
  /** The process exited before (or while) sending its hello line. */
  | 'exited-during-handshake'
  /** No hello line within the start-up timeout. */
  | 'hello-timeout'
  /** The first line is not a valid hello. */
  | 'bad-hello'
  /** The hello names a protocol version this client does not speak. */
  | 'version-mismatch'
  /** The process exited or was killed by a signal it did not get from us. */
  | 'crashed'
  /** A request got no response within the request timeout (the process is then killed). */
  | 'timeout'
  /** A stdout line that is not JSON (or not UTF-8). */
  | 'garbage'
  /** A JSON line that is not a well-formed response. */
  | 'bad-response'
  /** A response whose id is not the oldest outstanding request's id (out of order, or unknown). */
  | 'unexpected-id'
  /** The process was killed by the runner (kill(): a simulated crash). */
  | 'killed'
  /** The storage was already closed. */
  | 'closed';

export class DriverError extends Error {
  constructor(
    readonly kind: DriverErrorKind,
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'DriverError';
  }
}
