/**
 * An ioredis `Connector` that finds the primary through Sentinels, like ioredis's own
 * SentinelConnector, but opens every socket (to the Sentinels and to the primary) from a given
 * source address, which ioredis's connectors cannot: a partition by address can then cut a
 * client off together with the primary. Its `check` accepts only a node that reports
 * `role:master`, so a client that reaches a demoted primary reconnects and asks again.
 */
import { createConnection, type Socket } from 'node:net';

export interface SentinelEndpoint {
  host: string;
  port: number;
}

/** The Sentinels' answer to `SENTINEL get-master-addr-by-name`, over one socket from `localAddress`. */
function askSentinel(s: SentinelEndpoint, masterName: string, localAddress: string, timeoutMs: number): Promise<SentinelEndpoint | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: s.host, port: s.port, localAddress });
    let reply = '';
    const done = (r: SentinelEndpoint | null) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done(null));
    sock.once('error', () => done(null));
    sock.once('connect', () => {
      const args = ['SENTINEL', 'get-master-addr-by-name', masterName];
      sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      // *2\r\n$<n>\r\n<host>\r\n$<n>\r\n<port>\r\n, or *-1 / -ERR
      const m = /^\*2\r\n\$\d+\r\n([^\r]*)\r\n\$\d+\r\n(\d+)\r\n/.exec(reply);
      if (m) done({ host: m[1]!, port: Number(m[2]) });
      else if (/^(\*-1|-)[^\r]*\r\n/.test(reply)) done(null);
    });
  });
}

interface ConnectorOptions {
  sentinels: readonly SentinelEndpoint[];
  masterName: string;
  localAddress: string;
  /** Per Sentinel question and per connection attempt (default 500 ms). */
  timeoutMs?: number;
}

/** Returns a Connector class for ioredis's `Connector` option (ioredis instantiates it itself). */
export function sourcedSentinelConnector(o: ConnectorOptions): new (options: unknown) => unknown {
  return class SourcedSentinelConnector {
    connecting = false;
    stream: Socket | undefined;
    firstError: Error | undefined;

    check(info: { role?: string }): boolean {
      return info.role === 'master';
    }

    async connect(): Promise<Socket> {
      this.connecting = true;
      this.firstError = undefined;
      for (const s of o.sentinels) {
        const primary = await askSentinel(s, o.masterName, o.localAddress, o.timeoutMs ?? 500);
        if (!this.connecting) throw new Error('Connection is closed.');
        if (!primary) continue;
        const stream = createConnection({ host: primary.host, port: primary.port, localAddress: o.localAddress });
        stream.once('error', (e) => (this.firstError = e));
        this.stream = stream;
        return stream;
      }
      throw new Error(`no Sentinel of ${o.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')} named a primary for "${o.masterName}" (asked from ${o.localAddress})`);
    }

    disconnect(): void {
      this.connecting = false;
      this.stream?.destroy();
    }
  };
}
