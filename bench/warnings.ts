/**
 * Warning intake and the nag scheduler (issue 19), on real Postgres: alerts posted over HTTP in
 * Alertmanager's batches, beside plain single-row INSERTs; a scheduler tick over many open
 * warnings, in a process of its own (bench/nag-tick.ts) so its memory is the scheduler's.
 */
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { startFirebell } from '../src/main.ts';
import { freePort, tempDir } from './processes.ts';

const TOKEN = 'bench-webhook-token-0123456789';

function alertmanagerBatch(from: number, size: number, startsAt: string) {
  return {
    version: '4',
    groupKey: '{}:{alertname="BenchAlert"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'firebell',
    groupLabels: {},
    commonLabels: { alertname: 'BenchAlert' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: Array.from({ length: size }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'BenchAlert', instance: `host-${from + i}:9100`, severity: 'warning' },
      annotations: { summary: `host-${from + i} is unhappy` },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph',
      fingerprint: `bench${(from + i).toString(16).padStart(12, '0')}`,
    })),
  };
}


/** Posts `alerts` new alerts in batches of `batch`, `concurrency` requests at a time; alerts per second. */
export async function measureAlertIntake(url: string, alerts: number, batch: number, concurrency = 4): Promise<number> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query('truncate warnings, warning_firings, processed_events restart identity cascade').catch(() => undefined);
  await db.end();
  const dir = await tempDir('intake');
  const parsed = loadConfig({ HTTP_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir.path, DATABASE_URL: url });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const port = await freePort();
  const firebell = await startFirebell({ ...parsed.config, HTTP_PORT: port, WEBHOOK_TOKEN: TOKEN }, { clock: systemClock, log: pino({ level: 'silent' }), httpHost: '127.0.0.1' });
  const startsAt = new Date().toISOString();
  const bodies = Array.from({ length: Math.ceil(alerts / batch) }, (_, i) => JSON.stringify(alertmanagerBatch(i * batch, batch, startsAt)));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(`http://127.0.0.1:${firebell.httpPort}/hooks/alertmanager`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body,
        });
        if (res.status !== 200) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  await firebell.stop();
  await dir.remove();
  return (bodies.length * batch * 1000) / elapsedMs;
}

/** Plain single-row INSERTs, one after another, into the same database for the same time: rows per second. */
export async function measureSingleInserts(url: string, rows: number): Promise<number> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query('create table if not exists bench_rows (id bigserial primary key, v text not null)');
  const started = performance.now();
  for (let i = 0; i < rows; i++) await db.query('insert into bench_rows (v) values ($1)', [`host-${i} is unhappy`]);
  const elapsedMs = performance.now() - started;
  await db.end();
  return (rows * 1000) / elapsedMs;
}

export const NAG_TICK_SCRIPT = join('bench', 'nag-tick.ts');
