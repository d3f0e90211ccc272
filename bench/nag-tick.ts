/**
 * Run as its own process by the bench: fills the database with `open` open warnings, makes `due`
 * of them due, and times the scheduler's tick (best of `rounds`, each with `due` made due again),
 * beside the ceiling: the same claims and writes as two plain statements. Prints JSON.
 */
import pg from 'pg';
import pino from 'pino';
import { NagScheduler } from '../src/app/nag-scheduler.ts';
import type { WakeUpTimer } from '../src/app/wake-up.ts';
import { UnitOfWork } from '../src/app/unit-of-work.ts';
import type { NoticeConsumer } from '../src/chat/types.ts';
import { DEFAULT_NAG_POLICY, DEFAULT_STATUS_CADENCE } from '../src/core/nag-policy.ts';
import { UTC_ZONE } from '../src/core/zone.ts';
import { openDatabase } from '../src/store/open.ts';

const [url, open, due, rounds] = process.argv.slice(2);
if (!url || !open || !due || !rounds) throw new Error('usage: nag-tick.ts <DATABASE_URL> <open> <due> <rounds>');
const log = pino({ level: 'silent' });
const db = await openDatabase({ DATABASE_URL: url, DATA_DIR: '.' }, log);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const now = new Date();

await admin.query('truncate warnings, warning_firings, notices, notice_deliveries restart identity cascade');
await admin.query(
  `insert into warnings (fingerprint, summary, first_seen_at, last_seen_at, opened_at, fire_count, next_nag_at)
   select 'fp-' || i, 'warning ' || i, $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour',
          $1::timestamptz - interval '1 hour', 1, $1::timestamptz + interval '1 day'
   from generate_series(1, $2::int) as i`,
  [now, Number(open)],
);
await admin.query('analyze warnings');

async function makeDue(): Promise<void> {
  await admin.query(`update warnings set next_nag_at = $1::timestamptz - interval '1 second' where id <= $2`, [now, Number(due)]);
}

const chat: NoticeConsumer = { name: 'chat', wants: () => true, deliver: async () => undefined };
const idle: WakeUpTimer = { arm: () => undefined, disarm: () => undefined };
const work = new UnitOfWork({ db, consumers: () => [chat], now: () => now, kept: () => undefined });
const scheduler = new NagScheduler({
  db,
  work,
  clock: { now: () => now },
  timer: idle,
  log,
  policy: DEFAULT_NAG_POLICY,
  cadence: DEFAULT_STATUS_CADENCE,
  zone: UTC_ZONE,
});

let tickMs = Infinity;
let ceilingMs = Infinity;
let sent = 0;
for (let round = 0; round < Number(rounds); round++) {
  // Interleaved: the ceiling and the tick see the same database state, one after the other.
  await makeDue();
  const c0 = performance.now();
  await admin.query('begin');
  await admin.query(
    `with due as (select id from warnings where state = 'open' and next_nag_at <= $1 order by next_nag_at limit $2 for update skip locked)
     update warnings w set nag_count = nag_count + 1, episode_nag_count = episode_nag_count + 1, last_nag_at = $1,
       next_nag_at = $1::timestamptz + interval '30 minutes' from due where w.id = due.id`,
    [now, Number(due)],
  );
  await admin.query(
    `with kept as (insert into notices (body, created_at) select jsonb_build_object('nag', i), $1 from generate_series(1, $2::int) as i returning id)
     insert into notice_deliveries (notice_id, consumer, due_at) select id, 'chat', $1 from kept`,
    [now, Number(due)],
  );
  await admin.query('commit');
  ceilingMs = Math.min(ceilingMs, performance.now() - c0);

  await makeDue();
  const t0 = performance.now();
  const result = await scheduler.tick();
  tickMs = Math.min(tickMs, performance.now() - t0);
  sent = result.warningNags;
}
global.gc?.();
const rssBytes = process.memoryUsage().rss;
await scheduler.stop();
await admin.end();
await db.close();
process.stdout.write(`${JSON.stringify({ tickMs, ceilingMs, sent, rssBytes })}\n`);
