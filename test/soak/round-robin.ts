import { createConnection, createServer, type Socket } from 'node:net';

export interface RoundRobin {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP load balancer on 127.0.0.1 that hands each new connection to the next target in turn, with no
 * health check: while one instance is down, its share of connections fails and devices retry, as
 * behind a plain balancer that has not yet noticed.
 */
export function startRoundRobin(targetPorts: number[]): Promise<RoundRobin> {
  let next = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    const port = targetPorts[next++ % targetPorts.length]!;
    const upstream = createConnection({ host: '127.0.0.1', port });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        close() {
          for (const socket of open) socket.destroy();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
