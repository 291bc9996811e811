// One way to find a free loopback port, shared by the bench and the specs.
import net from 'node:net';

/**
 * A loopback port nothing listens on right now: bound by us on port 0, then released.
 * Another process may take it before the caller does; callers that must be sure retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
