import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { startFirebell, type Firebell } from '../src/main.ts';
import type { FakeSlack, FakeUser } from '../test/support/fake-slack/index.ts';
import { postToBolt, SlackSigner } from '../test/support/slack-signing.ts';
import type { PathResult } from './command-path.ts';
import { freePort } from './processes.ts';
import { percentile } from './stats.ts';

const SIGNING_SECRET = 'bench-signing-secret-0123456789ab';


export interface SlackBench {
  bot: Firebell;
  eventsUrl: string;
  signer: SlackSigner;
  user: FakeUser;
  channelId: string;
  sent: number;
}

/** firebell with Slack on, its events route on loopback, its Web API the given fake. */
export async function startSlackBot(fake: FakeSlack, settings: { DATABASE_URL?: string; DATA_DIR: string }): Promise<SlackBench> {
  const port = await freePort();
  const parsed = loadConfig({
    LOG_LEVEL: 'silent',
    ...settings,
    HTTP_PORT: String(port),
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const bot = await startFirebell(parsed.config, { clock: systemClock, log: pino({ level: 'silent' }), httpHost: '127.0.0.1' });
  const user = fake.addUser({ name: 'bench' });
  const channelId = fake.addChannel({ name: `bench-${process.pid}`, members: [user.id] }).id;
  return { bot, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signer: new SlackSigner({ signingSecret: SIGNING_SECRET }), user, channelId, sent: 0 };
}

/**
 * Slash-command acknowledgement latency: `concurrency` signed `/incident log …` commands at once,
 * `rounds` times, each timed from the POST to Bolt's HTTP answer. The work each command starts
 * (users.info, the write, the reply through response_url) goes on after its ack, against the fake
 * as slow as it has been set.
 */
export async function measureSlackAcks(b: SlackBench, fake: FakeSlack, opts: { concurrency: number; rounds: number }): Promise<PathResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let round = 0; round < opts.rounds; round++) {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        const responseUrl = fake.responseUrl({ channelId: b.channelId, userId: b.user.id });
        const req = b.signer.command('/incident', 'log Error rate back to normal, watching the canary', {
          user: { id: b.user.id, name: b.user.name },
          channelId: b.channelId,
          channelName: 'bench',
          responseUrl,
          triggerId: fake.newTriggerId(),
        });
        const t0 = performance.now();
        const answer = await postToBolt(b.eventsUrl, req);
        latencies.push(performance.now() - t0);
        if (answer.status !== 200) throw new Error(`the slash command was answered ${answer.status}`);
        b.sent++;
      }),
    );
  }
  const elapsed = performance.now() - started;
  return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
}

/** Waits for every command sent to have posted its reply, then stops the bot. */
export async function stopSlackBot(b: SlackBench, fake: FakeSlack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fake.responses.length < b.sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await b.bot.executor.idle();
  await b.bot.stop();
}
