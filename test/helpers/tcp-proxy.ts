import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import type { TestContext } from 'node:test';

/**
 * A TCP relay on 127.0.0.1 in front of a service (PostgreSQL, Redis) that a test can cut and
 * restore: one process's view of the service going away while the service keeps running for
 * everyone else.
 */
export interface TcpProxy {
  /** The port to connect to instead of the service's. */
  readonly port: number;
  /** `url` with its host and port replaced by the relay's. */
  through(url: string): string;
  /**
   * Packets dropped: open connections stop carrying anything in either direction (for good, as if
   * the path died: their clients must give up on them), and new connections are accepted but
   * never reach the service. Nothing is refused, nothing is reset: only timeouts notice.
   */
  blackhole(): void;
  /** Connection refused: open connections are reset and the port stops listening. */
  refuse(): Promise<void>;
  /** New connections reach the service again (connections cut before stay cut). */
  restore(): Promise<void>;
}

/** Starts a relay to `host:port`, closed after the test. */
export async function startTcpProxy(
  t: Pick<TestContext, 'after'>,
  host: string,
  port: number,
): Promise<TcpProxy> {
  let mode: 'open' | 'blackhole' | 'refuse' = 'open';
  const pairs = new Set<{ readonly client: Socket; upstream: Socket | null; dead: boolean }>();
  const accept = (client: Socket) => {
    const pair: { readonly client: Socket; upstream: Socket | null; dead: boolean } = {
      client,
      upstream: null,
      dead: mode !== 'open',
    };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (pair.dead) return;
    const upstream = connect(port, host);
    pair.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      if (!pair.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.dead) client.write(chunk);
    });
  };
  let server: Server = createServer(accept);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const listenPort = (server.address() as AddressInfo).port;
  const closeServer = async () => {
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    await closed;
  };
  const proxy: TcpProxy = {
    port: listenPort,
    through: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(listenPort);
      return u.toString();
    },
    blackhole: () => {
      mode = 'blackhole';
      for (const pair of pairs) pair.dead = true;
    },
    refuse: async () => {
      mode = 'refuse';
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      }
      await closeServer();
    },
    restore: async () => {
      mode = 'open';
      if (server.listening) return;
      server = createServer(accept);
      server.listen(listenPort, '127.0.0.1');
      await once(server, 'listening');
    },
  };
  t.after(async () => {
    for (const pair of [...pairs]) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await closeServer();
  });
  return proxy;
}
