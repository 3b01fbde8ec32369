import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now. Another process may take it before QEMU
 * binds it; callers that hand it to QEMU retry on a bind failure.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
