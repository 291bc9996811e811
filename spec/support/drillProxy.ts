// A loopback TCP proxy in front of the MongoDB-speaking server, for outage drills
// against a server the specs do not own (an external MONGODB_URI cannot be stopped):
// `cut()` destroys every open connection and refuses new ones, exactly what a client
// sees when the server goes away; `restore()` lets connections through again.
import net, { type AddressInfo } from 'node:net';

export interface MongoProxy {
  /** The target URI rewritten to go through the proxy (directConnection, so the driver never bypasses it). */
  uri: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Null when the URI is not a single plain host (SRV, several hosts): a proxy cannot stand in for it. */
export async function startMongoProxy(targetUri: string): Promise<MongoProxy | null> {
  if (!targetUri.startsWith('mongodb://')) return null;
  const hostPart = targetUri.slice('mongodb://'.length).split('/')[0].split('@').pop() as string;
  if (hostPart.includes(',')) return null;
  const target = new URL(targetUri.replace(/^mongodb:/, 'http:'));
  const targetHost = target.hostname.replace(/^\[|\]$/g, '');
  const targetPort = Number(target.port || 27017);

  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const proxied = new URL(targetUri.replace(/^mongodb:/, 'http:'));
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  proxied.searchParams.set('directConnection', 'true');
  return {
    uri: proxied.toString().replace(/^http:/, 'mongodb:'),
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A mongodb:// URI on a loopback port nothing listens on: every connection is refused. */
export async function closedPortUri(database: string): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `mongodb://127.0.0.1:${port}/${database}`;
}
