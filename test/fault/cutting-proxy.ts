import { createConnection, createServer, type Socket } from 'node:net';

/** What the proxy does to one client connection. */
export type ConnectionFault =
  /** Forward both ways. */
  | 'pass'
  /** Close the connection once the request starts arriving, forwarding nothing: the server never sees it. */
  | 'drop-request'
  /** Forward the request, then close the client's connection as the response starts: the server did the work. */
  | 'cut-response';

export interface CuttingProxy {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface CuttingProxyOptions {
  /** The fault for the n-th connection (0-based). */
  faultFor(connection: number): ConnectionFault;
  /** Sees every chunk forwarded from a client to the server. */
  onForwarded?(chunk: Buffer): void;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server on loopback, which breaks chosen connections the way
 * a weak mobile network does: the request lost on the way there, or the answer lost on the way back.
 */
export function startCuttingProxy(targetPort: number, options: CuttingProxyOptions): Promise<CuttingProxy> {
  let connections = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A peer vanishing is the point here, not an error.
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    track(client);
    const fault = options.faultFor(connections++);
    if (fault === 'drop-request') {
      client.once('data', () => client.destroy());
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      options.onForwarded?.(chunk);
      upstream.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    if (fault === 'cut-response') {
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
    } else {
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        get connections() {
          return connections;
        },
        close() {
          for (const socket of open) socket.destroy();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
