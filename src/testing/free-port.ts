import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for a server that must know its own address before it listens
 * (the service registers its webhook URL during start-up, so port 0 cannot be used directly).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
