import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { startFirebell, type Firebell } from '../src/main.ts';
import { RawIrcClient, type IrcLine } from '../test/support/irc-client.ts';
import type { Ngircd } from '../test/support/ngircd.ts';
import type { RoundTrip } from './irc-ceiling.ts';
import { percentile } from './stats.ts';

export interface IrcBench {
  bot: Firebell;
  responder: RawIrcClient;
  channel: string;
  stop(): Promise<void>;
}

const BOT = 'firebell';

/**
 * firebell on `server` with its IRC adapter, and a responder in a fresh incident's channel. Send
 * pacing is off (a token every millisecond): one person typing never meets it, and the bench
 * times the path, not the pacing.
 */
export async function startIrcBench(server: Ngircd, settings: { DATABASE_URL?: string; DATA_DIR: string }): Promise<IrcBench> {
  const parsed = loadConfig({ HTTP_PORT: '0', LOG_LEVEL: 'silent', IRC_HOST: server.host, IRC_PORT: String(server.port), IRC_CHANNELS: '#bench', ...settings });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const responder = await RawIrcClient.connect(server.port, `resp${process.pid % 100_000}`);
  await responder.join('#bench');
  const bot = await startFirebell(parsed.config, { clock: systemClock, log: pino({ level: 'silent' }), irc: { intervalMs: 1, burst: 50 } });
  await responder.waitFor((l) => l.nick === BOT && l.command === 'JOIN' && l.params[0] === '#bench', { what: 'the bot joining #bench' });
  responder.privmsg('#bench', `!inc start IRC bench ${process.pid}`);
  const invite = await responder.waitFor((l) => l.nick === BOT && l.command === 'INVITE', { what: 'the invitation' });
  const channel = invite.params[1]!;
  await responder.join(channel);
  return {
    bot,
    responder,
    channel,
    async stop() {
      await responder.quit();
      await bot.stop();
    },
  };
}

const isLogReply = (channel: string) => (l: IrcLine) => l.nick === BOT && l.command === 'PRIVMSG' && l.params[0] === channel && l.params[1]!.startsWith('Logged');

/** `!log` typed in the incident channel and firebell's answer seen there, one after another. */
export async function measureLogRoundTrip(bench: IrcBench, count: number): Promise<RoundTrip> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    bench.responder.privmsg(bench.channel, `!log Error rate back to normal, watching the canary ${i}`);
    await bench.responder.waitFor(isLogReply(bench.channel), { what: `the reply to log ${i}` });
    latencies.push(performance.now() - t0);
  }
  return { p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
}
