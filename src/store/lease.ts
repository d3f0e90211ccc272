import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * The right to do what only one instance may do at a time (hold the IRC connection). Several
 * firebell processes on one Postgres each ask; one holds it; when the holder dies, another takes
 * it over.
 */
export interface Lease {
  readonly held: boolean;
  /** Resolves once held, asking again and again until then; rejects if released first. */
  acquire(): Promise<void>;
  /** Told when a lease that was held is lost (its connection failed, so the database may be down). */
  onLost(listener: () => void): void;
  /** Told when an ask finds another instance holding it: whoever acted on an old hold must stop. */
  onHeldElsewhere(listener: () => void): void;
  /** Gives it up (or stops asking); another instance may take it. */
  release(): Promise<void>;
}

/** The embedded database has one process by construction (DATA_DIR's lock): the lease is always its. */
export class SoleLease implements Lease {
  held = false;
  async acquire(): Promise<void> {
    this.held = true;
  }
  onLost(): void {}
  onHeldElsewhere(): void {}
  async release(): Promise<void> {
    this.held = false;
  }
}

export interface PgAdvisoryLeaseOptions {
  connectionString: string;
  /** What the lease is for (`irc`): instances asking with the same name exclude one another. */
  name: string;
  log: Logger;
  /** Between attempts while another instance holds it. */
  retryMs?: number;
  /** How often the holder checks its connection; a check that takes this long counts as lost. */
  heartbeatMs?: number;
}

/** Advisory-lock keys are two int4s: firebell's own class, and the lease's name hashed. */
const LEASE_CLASS = 0x66697265; // "fire"

function nameKey(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash;
}

class LeaseReleased extends Error {
  constructor() {
    super('the lease was released before it was acquired');
  }
}

/**
 * A Postgres session advisory lock, held by a connection of its own, never a pooled one: the lock
 * lives exactly as long as that session. When the holder's process dies, the kernel closes its
 * socket and Postgres frees the lock at once; when its host vanishes, the server's TCP keepalives
 * (asked for below: idle 5 s, then 3 probes 5 s apart) end the session within about 20 s. Waiting
 * instances ask every `retryMs` (5 s), so one takes over within 30 s. The holder checks its own
 * connection every `heartbeatMs` and gives up at the first failure, before anyone else can take
 * the lock: two holders at once never happens.
 */
export class PgAdvisoryLease implements Lease {
  private client: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: { wake: () => void } | null = null;
  private listeners: (() => void)[] = [];
  private elsewhereListeners: (() => void)[] = [];
  private released = false;
  private acquiring: Promise<void> | null = null;
  held = false;
  /** Times it asked while another instance held it (for the log and for tests). */
  refusals = 0;

  constructor(private readonly opts: PgAdvisoryLeaseOptions) {}

  acquire(): Promise<void> {
    this.released = false;
    this.acquiring ??= this.tryUntilHeld().finally(() => {
      this.acquiring = null;
    });
    return this.acquiring;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  onHeldElsewhere(listener: () => void): void {
    this.elsewhereListeners.push(listener);
  }

  async release(): Promise<void> {
    this.released = true;
    this.retry?.wake();
    this.stopHeartbeat();
    const client = this.client;
    this.client = null;
    this.held = false;
    // Ending the session frees the lock; an explicit unlock would only cost a round trip more.
    await client?.end().catch(() => undefined);
    await this.acquiring?.catch(() => undefined);
  }

  private async tryUntilHeld(): Promise<void> {
    for (;;) {
      if (this.released) throw new LeaseReleased();
      if (await this.tryOnce()) return;
      await this.wait(this.opts.retryMs ?? 5_000);
    }
  }

  private async tryOnce(): Promise<boolean> {
    // Loaded here, not at start-up: the embedded default never needs the Postgres driver.
    const { default: pgDriver } = await import('pg');
    const client = new pgDriver.Client({
      connectionString: this.opts.connectionString,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: 5_000,
      options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3',
      application_name: `firebell lease ${this.opts.name}`,
    });
    // Unhandled, a dropped connection's 'error' would end the process; the heartbeat notices it.
    client.on('error', () => this.lose(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ taken: boolean }>('select pg_try_advisory_lock($1, $2) as taken', [LEASE_CLASS, nameKey(this.opts.name)]);
      if (!rows[0]?.taken || this.released) {
        await client.end();
        if (!rows[0]?.taken) {
          this.refusals++;
          for (const listener of this.elsewhereListeners) listener();
        }
        return false;
      }
    } catch (err) {
      this.opts.log.warn({ err, lease: this.opts.name }, 'could not ask for the lease; asking again later');
      await client.end().catch(() => undefined);
      return false;
    }
    this.client = client;
    this.held = true;
    this.startHeartbeat(client);
    this.opts.log.info({ lease: this.opts.name }, 'lease taken');
    return true;
  }

  private startHeartbeat(client: pg.Client): void {
    const everyMs = this.opts.heartbeatMs ?? 5_000;
    const beat = async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the lease connection did not answer in time')), everyMs);
      });
      try {
        await Promise.race([client.query('select 1'), late]);
        if (this.client === client) this.heartbeat = setTimeout(() => void beat(), everyMs);
      } catch (err) {
        this.opts.log.error({ err, lease: this.opts.name }, 'lease connection failed');
        this.lose(client);
      } finally {
        clearTimeout(timer);
      }
    };
    this.heartbeat = setTimeout(() => void beat(), everyMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
  }

  /** The holding connection failed: the lock may be someone else's soon, so stop now. */
  private lose(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.held = false;
    this.stopHeartbeat();
    // Ended for good, so a half-dead session cannot keep the lock from the next holder.
    client.end().catch(() => undefined);
    this.opts.log.warn({ lease: this.opts.name }, 'lease lost');
    for (const listener of this.listeners) listener();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.retry = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.retry = { wake };
    });
  }
}

/** The lease for this backend: an advisory lock on Postgres, the sole lease on the embedded database. */
export function openLease(settings: { DATABASE_URL?: string | undefined }, name: string, log: Logger): Lease {
  return settings.DATABASE_URL ? new PgAdvisoryLease({ connectionString: settings.DATABASE_URL, name, log }) : new SoleLease();
}
