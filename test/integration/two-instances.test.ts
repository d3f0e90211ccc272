import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Invocation } from '../../src/chat/types.ts';
import { PgAdvisoryLease, type Lease } from '../../src/store/lease.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends, type TestDatabase } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const postgres = backends.find((b) => b.name === 'postgres');

// Two firebell processes on one DATABASE_URL, each with its own DATA_DIR (README "Running more than one").
describe.skipIf(!postgres)('two instances on one Postgres', () => {
  const chatA = new RecordingAdapter('test');
  const chatB = new RecordingAdapter('test');
  let a: TestBot;
  let b: TestBot;
  let shared: TestDatabase;
  let secondDir: string;
  let leaseA: Lease;
  let leaseB: Lease;

  beforeAll(async () => {
    a = await startTestBot(postgres!, {
      adapters: (core) => {
        leaseA = core.openLease('irc');
        return [chatA];
      },
    });
    secondDir = await mkdtemp(join(tmpdir(), 'firebell-second-'));
    shared = { settings: { ...a.settings, DATA_DIR: secondDir }, drop: () => rm(secondDir, { recursive: true, force: true }) };
    b = await startTestBot(postgres!, {
      database: shared,
      adapters: (core) => {
        leaseB = core.openLease('irc');
        return [chatB];
      },
    });
  });
  afterAll(async () => {
    await b.stop();
    await shared.drop();
    await a.stop();
  });

  test('each notice is delivered once, by one of them, whichever kept it', async () => {
    for (let i = 1; i <= 12; i++) await (i % 2 ? a : b).say(`start Incident ${i} --tz UTC`, { channel: `C${i}` });
    await Promise.all([a.firebell.outbox.drain(), b.firebell.outbox.drain(), a.firebell.outbox.drain(), b.firebell.outbox.drain()]);
    const told = [...chatA.told, ...chatB.told].filter((t) => t.notice.kind === 'incident_opened');
    const keys = told.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(told.map((t) => (t.notice.kind === 'incident_opened' ? t.notice.incident.title : '')).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `Incident ${i + 1}`).sort(),
    );
  });

  test('one chat event delivered to both (a retried Slack event reaching the other) is recorded once', async () => {
    await a.say('start Shared incident --tz UTC', { channel: 'C-shared' });
    const incidents = await a.firebell.db.query<{ id: number }>(`select id from incidents where title = 'Shared incident'`);
    const id = incidents.rows[0]!.id;
    const event = (receivedAt: Date): Invocation => ({
      verb: 'log',
      text: `INC-${id} Failover started`,
      actor: { platform: 'test', id: 'U0DANA', name: 'dana' },
      channel: { platform: 'test', id: 'C-shared' },
      eventId: 'Ev-shared-1',
      receivedAt,
    });
    const [fromA, fromB] = await Promise.all([a.firebell.router.dispatch(event(a.clock.now())), b.firebell.router.dispatch(event(a.clock.now()))]);
    expect(fromA).toEqual(fromB);
    expect(fromA.tone).toBe('ok');
    const { entries } = await a.record(id);
    expect(entries.filter((e) => e.text === 'Failover started')).toHaveLength(1);
  });

  test('a status update delivered by one shows on the other’s status page too', async () => {
    await a.say('start Search results stale --tz UTC', { channel: 'C-site' });
    const incidents = await a.firebell.db.query<{ id: number }>(`select id from incidents where title = 'Search results stale'`);
    const ref = `INC-${incidents.rows[0]!.id}`;
    await a.say(`status ${ref} identified Index rebuild under way`, { channel: 'C-site' });
    await a.say(`status ${ref} monitoring Results fresh again`, { channel: 'C-site' });
    // Each notice reaches one of them; the page of each is compared with the database.
    await Promise.all([a.firebell.outbox.drain(), b.firebell.outbox.drain()]);
    await Promise.all([a.firebell.syncStatusSite(), b.firebell.syncStatusSite()]);
    for (const bot of [a, b]) {
      const page = await readFile(join(bot.firebell.statusSite.dir, 'index.html'), 'utf8');
      expect(page).toContain('Results fresh again');
      expect(page).toContain('Index rebuild under way');
    }
    expect(await b.firebell.syncStatusSite()).toBe(false);
  });

  // Last: it stops the first instance.
  test('the IRC lease is held by one of them; when that one stops, the other takes it over', async () => {
    await leaseA.acquire();
    expect(leaseB).toBeInstanceOf(PgAdvisoryLease);
    const waiting = leaseB as PgAdvisoryLease;
    const takenByB = waiting.acquire();
    while (waiting.refusals < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect([leaseA.held, waiting.held]).toEqual([true, false]);
    await a.firebell.stop();
    expect(leaseA.held).toBe(false);
    await takenByB;
    expect(waiting.held).toBe(true);
  });
});
