import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NagScheduler, type NagSchedulerDeps } from '../../src/app/nag-scheduler.ts';
import { UnitOfWork } from '../../src/app/unit-of-work.ts';
import type { NoticeConsumer } from '../../src/chat/types.ts';
import { DEFAULT_NAG_POLICY, DEFAULT_STATUS_CADENCE } from '../../src/core/nag-policy.ts';
import { sendDueNags } from '../../src/core/warnings.ts';
import { UTC_ZONE } from '../../src/core/zone.ts';
import type { Db } from '../../src/store/db.ts';
import { openDatabase } from '../../src/store/open.ts';
import { sqlStore } from '../../src/store/sql-store.ts';
import { ManualClock } from '../support/clock.ts';
import { backends, emptyTables, silentLog, type TestDatabase } from '../support/databases.ts';
import { ManualWakeUp } from '../support/wake-up.ts';

const postgres = backends.find((b) => b.name === 'postgres');
const DUE = 1_000;

/** A chat platform that is told nothing directly here: what was kept for it is read from the outbox. */
const chat: NoticeConsumer = { name: 'test', wants: () => true, deliver: async () => undefined };

/** Open warnings whose first nag is due now, one per fingerprint. */
async function seedDueWarnings(db: Db, now: Date, count: number): Promise<void> {
  await db.query(
    `insert into warnings (fingerprint, summary, first_seen_at, last_seen_at, opened_at, fire_count, next_nag_at)
     select 'fp-' || i, 'warning ' || i, $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour',
            $1::timestamptz - interval '1 hour', 1, $1::timestamptz - (i || ' milliseconds')::interval
     from generate_series(1, $2::int) as i`,
    [now, count],
  );
}

/** Every nag kept in the outbox, by warning id. */
async function keptNags(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `select (body->'notice'->'warning'->>'id')::int as id from notices where body->'notice'->>'kind' = 'warning_nag' order by 1`,
  );
  return rows.map((r) => r.id);
}

function scheduler(db: Db, clock: ManualClock, opts: Partial<NagSchedulerDeps> & { kept?: () => void } = {}): NagScheduler {
  const work = new UnitOfWork({ db, consumers: () => [chat], now: () => clock.now(), kept: opts.kept ?? (() => undefined) });
  return new NagScheduler({
    db,
    work,
    clock,
    timer: new ManualWakeUp(),
    log: silentLog,
    policy: DEFAULT_NAG_POLICY,
    cadence: DEFAULT_STATUS_CADENCE,
    zone: UTC_ZONE,
    batchSize: 25,
    ...opts,
  });
}

/**
 * Two instances' connections to one fresh Postgres database, emptied and seeded before each test:
 * `one` and `two` are set once the suite has started.
 */
function twoInstances(seed: (db: Db, now: Date) => Promise<void>) {
  const instances = { one: null as unknown as Db, two: null as unknown as Db, clock: new ManualClock('2026-03-02T12:00:00Z') };
  let target: TestDatabase | undefined;
  beforeAll(async () => {
    target = await postgres!.create();
    instances.one = await openDatabase(target.settings, silentLog);
    instances.two = await openDatabase(target.settings, silentLog);
  });
  afterAll(async () => {
    await instances.one?.close();
    await instances.two?.close();
    await target?.drop();
  });
  beforeEach(async () => {
    await emptyTables(instances.one);
    await seed(instances.one, instances.clock.now());
  });
  return instances;
}

describe.skipIf(!postgres)('nag claims on real Postgres', () => {
  const db = twoInstances((one, now) => seedDueWarnings(one, now, DUE));
  const { clock } = db;

  test('two instances on one database send 1,000 due nags, each exactly once', async () => {
    const [a, b] = await Promise.all([scheduler(db.one, clock).tick(), scheduler(db.two, clock).tick()]);
    expect(a.warningNags + b.warningNags).toBe(DUE);
    // Both took part: the claims interleaved rather than one instance doing it all.
    expect(Math.min(a.warningNags, b.warningNags)).toBeGreaterThan(0);
    const nags = await keptNags(db.one);
    expect(nags).toHaveLength(DUE);
    expect(new Set(nags).size).toBe(DUE);
    const { rows } = await db.one.query<{ n: number }>('select count(*)::int as n from warnings where nag_count = 1 and next_nag_at > $1', [clock.now()]);
    expect(rows[0]!.n).toBe(DUE);
    // Nothing is due any more: another look at the same moment sends nothing.
    expect((await scheduler(db.two, clock).tick()).warningNags).toBe(0);
  });

  test('a scheduler stopped part-way, and an instance that dies mid-claim, lose and repeat nothing', async () => {
    let first: NagScheduler | null = null;
    let commits = 0;
    first = scheduler(db.one, clock, {
      kept: () => {
        // Stopped after its fourth batch has committed.
        if (++commits === 4) void first!.stop();
      },
    });
    const partial = await first.tick();
    expect(partial.warningNags).toBe(100);

    // Another instance claims 50 and dies before committing: its claims go back.
    await expect(
      db.two.transaction(async (tx) => {
        const claimed = await sendDueNags({ store: sqlStore(tx), notify: () => undefined }, DEFAULT_NAG_POLICY, clock.now(), 50);
        expect(claimed).toBe(50);
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');

    const restarted = await scheduler(db.two, clock).tick();
    expect(restarted.warningNags).toBe(DUE - 100);
    const nags = await keptNags(db.one);
    expect(nags).toHaveLength(DUE);
    expect(new Set(nags).size).toBe(DUE);
  });
});

/** One incident with one status update, and `count` deliveries of it (one per target) pending since 10 min ago. */
async function seedStuckDeliveries(db: Db, now: Date, count: number): Promise<void> {
  await db.query(
    `with i as (
       insert into incidents (title, severity, time_zone, started_at, opened_by, opened_by_id, opened_at, source_platform, source_channel)
       values ('Checkout down', 2, 'UTC', $1::timestamptz - interval '1 hour', 'dana', 'test:dana', $1::timestamptz - interval '1 hour', 'test', 'general')
       returning id),
     e as (
       insert into timeline_entries (incident_id, occurred_at, recorded_at, author, author_id, kind, text, source_platform, source_event_id)
       select id, $1::timestamptz - interval '10 minutes', $1::timestamptz - interval '10 minutes', 'dana', 'test:dana', 'status', 'Payments fail', 'test', 'seed'
       from i returning id, incident_id),
     s as (
       insert into status_updates (incident_id, state, message, author, author_id, posted_at, entry_id)
       select incident_id, 'investigating', 'Payments fail', 'dana', 'test:dana', $1::timestamptz - interval '10 minutes', id
       from e returning id, incident_id)
     insert into status_deliveries (update_id, incident_id, target, attempts, created_at, due_at, last_error)
     select s.id, s.incident_id, 'target-' || g, 3, $1::timestamptz - interval '10 minutes', $1::timestamptz + interval '1 minute', 'answered 503'
     from s, generate_series(1, $2::int) as g`,
    [now, count],
  );
}

/** Every stuck-delivery nag kept in the outbox, by delivery id. */
async function keptStuckNags(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `select (body->'notice'->>'deliveryId')::int as id from notices where body->'notice'->>'kind' = 'status_delivery_stuck' order by 1`,
  );
  return rows.map((r) => r.id);
}

describe.skipIf(!postgres)('stuck status delivery claims on real Postgres', () => {
  const db = twoInstances((one, now) => seedStuckDeliveries(one, now, DUE));
  const { clock } = db;

  test('two instances on one database report 1,000 stuck deliveries, each exactly once, and a restart reports none again', async () => {
    const [a, b] = await Promise.all([scheduler(db.one, clock).tick(), scheduler(db.two, clock).tick()]);
    expect(a.deliveryNags + b.deliveryNags).toBe(DUE);
    expect(Math.min(a.deliveryNags, b.deliveryNags)).toBeGreaterThan(0);
    const nags = await keptStuckNags(db.one);
    expect(nags).toHaveLength(DUE);
    expect(new Set(nags).size).toBe(DUE);
    const { rows } = await db.one.query<{ n: number }>('select count(*)::int as n from status_deliveries where stuck_reported_at = $1', [clock.now()]);
    expect(rows[0]!.n).toBe(DUE);

    // A new instance later on (a restart): the episodes were told, nothing is said twice.
    clock.advance('1h');
    expect((await scheduler(db.two, clock).tick()).deliveryNags).toBe(0);
    expect(await keptStuckNags(db.one)).toHaveLength(DUE);
  });

  test('an instance that dies holding claims loses nothing: the others skip them meanwhile, and report them after', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const holding = new Promise<void>((resolve) => (claimed = resolve));
    const dying = db.two.transaction(async (tx) => {
      expect(await sqlStore(tx).statusDeliveries.claimStuck(clock.now(), 50)).toHaveLength(50);
      claimed();
      await held;
      throw new Error('killed');
    });
    await holding;
    expect((await scheduler(db.one, clock).tick()).deliveryNags).toBe(DUE - 50);
    release();
    await expect(dying).rejects.toThrow('killed');

    expect((await scheduler(db.one, clock).tick()).deliveryNags).toBe(50);
    const nags = await keptStuckNags(db.one);
    expect(nags).toHaveLength(DUE);
    expect(new Set(nags).size).toBe(DUE);
  });
});
