import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a server (PostgreSQL here) that can make it vanish for the clients
 * behind it: `cut()` resets every open connection and refuses new ones until `restore()`, as a
 * database host that went down or off the network would. The server itself, and every other
 * client of it on this machine, are untouched.
 */
export class TcpOutageProxy {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private down = false;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.forward(client));
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpOutageProxy> {
    const proxy = new TcpOutageProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  private forward(client: Socket): void {
    if (this.down) return void client.resetAndDestroy();
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    upstream.connect(this.targetPort, this.targetHost);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Resets every connection and refuses new ones. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
