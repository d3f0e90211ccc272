import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PgAdvisoryLease, SoleLease } from '../../src/store/lease.ts';
import { backends, silentLog, type TestDatabase } from '../support/databases.ts';

const HOLDER = fileURLToPath(new URL('../support/lease-holder.ts', import.meta.url));
const postgres = backends.find((b) => b.name === 'postgres');

/** Waits (for the real server's answers) until check() holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Resolves with how the promise settled, or 'pending' if it has not by the time `check` runs. */
async function settledYet(p: Promise<unknown>): Promise<'held' | 'pending'> {
  return Promise.race([p.then(() => 'held' as const), new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe.skipIf(!postgres)('the IRC lease on real Postgres', () => {
  let database: TestDatabase;
  let url: string;
  beforeAll(async () => {
    database = await postgres!.create();
    url = database.settings.DATABASE_URL!;
  });
  afterAll(() => database.drop());

  const lease = (name = 'irc', retryMs = 200) => new PgAdvisoryLease({ connectionString: url, name, log: silentLog, retryMs, heartbeatMs: 500 });

  test('one instance holds it; another waits, and takes it when the first lets go', async () => {
    const first = lease();
    const second = lease();
    await first.acquire();
    expect(first.held).toBe(true);
    const waiting = second.acquire();
    // Several attempts, all refused while the first holds it.
    await until(() => second.refusals >= 3);
    expect(await settledYet(waiting)).toBe('pending');
    expect(second.held).toBe(false);
    await first.release();
    await waiting;
    expect(second.held).toBe(true);
    await second.release();
  });

  test('leases with different names do not exclude each other', async () => {
    const irc = lease('irc');
    const other = lease('scheduler');
    await irc.acquire();
    await other.acquire();
    expect([irc.held, other.held]).toEqual([true, true]);
    await irc.release();
    await other.release();
  });

  test('when the holding process is SIGKILLed, another instance takes over within 30 s, with the default retry', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, url, 'irc'], { stdio: 'pipe' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        child.on('close', () => reject(new Error('the holder exited before it held the lease')));
      });
      const successor = new PgAdvisoryLease({ connectionString: url, name: 'irc', log: silentLog });
      const taken = successor.acquire();
      await until(() => successor.refusals >= 1);
      expect(await settledYet(taken)).toBe('pending');
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await Promise.race([taken, new Promise((_, reject) => setTimeout(() => reject(new Error('not taken over within 30 s')), 30_000))]);
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      expect(successor.held).toBe(true);
      await successor.release();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  test('a holder whose connection is cut is told it lost the lease, and the lease is free for another', async () => {
    const holder = lease();
    let lost = 0;
    holder.onLost(() => lost++);
    await holder.acquire();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
      );
    } finally {
      await admin.end();
    }
    const successor = lease();
    await successor.acquire();
    await until(() => lost > 0);
    expect(lost).toBe(1);
    expect(holder.held).toBe(false);
    expect(successor.held).toBe(true);
    await successor.release();
    await holder.release();
  });
});

describe('the lease on the embedded database', () => {
  test('is held at once: one process owns DATA_DIR', async () => {
    const lease = new SoleLease();
    await lease.acquire();
    expect(lease.held).toBe(true);
    await lease.release();
    expect(lease.held).toBe(false);
  });
});
