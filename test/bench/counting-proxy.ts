import { createConnection, createServer, type Server } from 'node:net';

/**
 * A TCP pass-through on loopback that counts the bytes each way, so the bench knows what went up
 * (request headers and bodies), which DevTools does not report as wire bytes. It does not touch the
 * bytes, so the browser sees the server exactly as it is.
 */
export interface CountingProxy {
  url: string;
  /** Bytes browser → server and server → browser since the last reset. */
  counts(): { up: number; down: number; connections: number };
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  let up = 0;
  let down = 0;
  let connections = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      up += chunk.length;
    });
    upstream.on('data', (chunk) => {
      down += chunk.length;
    });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ up, down, connections }),
    reset() {
      up = 0;
      down = 0;
      connections = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
