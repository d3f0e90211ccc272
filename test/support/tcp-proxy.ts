import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { backends, type TestBackend } from './databases.ts';

/**
 * A loopback TCP proxy in front of a real server, so a test can take the server away (every
 * connection dropped, new ones refused) and bring it back, as an outage would.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private trap: { marker: Buffer; sprung(): void } | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream);
      this.relayAnswers(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /**
   * The outage at the worst moment: the next time the server's answer holds `marker` (`COMMIT\0`,
   * the tag of the answer to COMMIT), that answer is withheld and everything is cut, as by `cut()`.
   * The server has done the work; the client never hears so. Resolves once the cut is made.
   */
  cutWhenServerSays(marker: string): Promise<void> {
    return new Promise((resolve) => {
      this.trap = { marker: Buffer.from(marker), sprung: resolve };
    });
  }

  /** Server to client, watched for the trap's marker (also across two chunks). */
  private relayAnswers(upstream: Socket, client: Socket): void {
    let tail = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      const trap = this.trap;
      if (trap) {
        const seen = Buffer.concat([tail, chunk]);
        if (seen.includes(trap.marker)) {
          this.trap = null;
          upstream.pause();
          void this.cut().then(trap.sprung);
          return;
        }
        tail = seen.subarray(Math.max(0, seen.length - trap.marker.length + 1));
      }
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    upstream.on('end', () => client.end());
  }

  /** The outage: every open connection is cut and new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The server is back, on the same port. */
  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

/**
 * A fresh Postgres test database that firebell reaches only through a TcpProxy: the test creates it
 * directly, and cuts the proxy to make the database unreachable (DESIGN §1, lesson 1).
 */
export async function postgresBehindProxy(adminUrl: string): Promise<{ proxy: TcpProxy; backend: TestBackend }> {
  const target = new URL(adminUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const backend: TestBackend = {
    name: 'postgres',
    async create() {
      const direct = await backends.find((b) => b.name === 'postgres')!.create();
      const url = new URL(direct.settings.DATABASE_URL!);
      url.host = `127.0.0.1:${proxy.port}`;
      return { settings: { ...direct.settings, DATABASE_URL: url.toString() }, drop: direct.drop };
    },
  };
  return { proxy, backend };
}
