import pg from 'pg';
import pino from 'pino';
import { plainLines } from '../src/chat/reply.ts';
import type { JournalMode } from '../src/app/command-executor.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { startFirebell, type Firebell } from '../src/main.ts';
import { percentile } from './stats.ts';

export interface PathResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
}

/** firebell as main.ts wires it, with no chat adapter: replies are rendered and dropped. */
export async function startNullBot(settings: { DATABASE_URL?: string; DATA_DIR: string }, journalMode?: JournalMode): Promise<Firebell> {
  const parsed = loadConfig({ HTTP_PORT: '0', LOG_LEVEL: 'silent', ...settings });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return startFirebell(parsed.config, { clock: systemClock, log: pino({ level: 'silent' }), ...(journalMode ? { journalMode } : {}) });
}

let eventCounter = 0;
const reusedChannels: string[] = [];

/**
 * `log` commands through the whole pipeline (parse, validate, core, store, reply rendered) from
 * `concurrency` responders for `durationMs`. `channels` says how many incident channels they type
 * in: 1 means everyone in one incident channel (one lane, batched); `concurrency` means one each.
 */
export async function measureLogPath(
  bot: Firebell,
  opts: { concurrency: number; channels: number; durationMs: number; incidents?: 'new' | 'reuse' },
): Promise<PathResult> {
  const channelIds: string[] = [];
  if (opts.incidents === 'reuse') reusedChannels.length = Math.min(reusedChannels.length, opts.channels);
  if (opts.incidents === 'reuse' && reusedChannels.length >= opts.channels) channelIds.push(...reusedChannels);
  for (let c = channelIds.length; c < opts.channels; c++) {
    const channel = `bench-${process.pid}-${eventCounter++}`;
    const reply = await bot.router.dispatch(invocation('start', `Bench incident ${c}`, 'lobby'));
    const id = /INC-(\d+)/.exec(plainLines(reply)[0] ?? '')?.[1];
    if (!id) throw new Error(`start failed: ${plainLines(reply).join(' ')}`);
    const linked = await bot.router.dispatch({ ...invocation('link', '', channel), payload: { incidentId: Number(id) } });
    if (linked.tone !== 'ok') throw new Error(`link failed: ${plainLines(linked).join(' ')}`);
    channelIds.push(channel);
    if (opts.incidents === 'reuse') reusedChannels.push(channel);
  }
  const latencies: number[] = [];
  const deadline = performance.now() + opts.durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async (_, worker) => {
      const channel = channelIds[worker % channelIds.length]!;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const reply = await bot.router.dispatch(invocation('log', 'Error rate back to normal, watching the canary', channel));
        plainLines(reply);
        latencies.push(performance.now() - t0);
        if (reply.tone !== 'ok') throw new Error(`log failed: ${plainLines(reply).join(' ')}`);
      }
    }),
  );
  const elapsed = performance.now() - started;
  return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
}

function invocation(verb: string, text: string, channel: string) {
  return {
    verb,
    text,
    actor: { platform: 'bench', id: 'bench', name: 'bench' },
    channel: { platform: 'bench', id: channel },
    eventId: `bench-${process.pid}-${eventCounter++}`,
    receivedAt: new Date(),
  };
}

/** The ceiling: plain single-row INSERTs (autocommit) from `pg`, `concurrency` connections at once. */
export async function measurePgInserts(url: string, concurrency: number, durationMs: number): Promise<PathResult> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query('create table if not exists bench_rows (id bigserial primary key, v text not null)');
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await client.query('insert into bench_rows (v) values ($1)', ['Error rate back to normal, watching the canary']);
          latencies.push(performance.now() - t0);
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = performance.now() - started;
  await pool.end();
  return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
}
