import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const saidBy = (target: string) => (l: IrcLine) => l.nick === 'firebell' && l.command === 'PRIVMSG' && l.params[0] === target;

// Lesson 1 on IRC: a command typed while Postgres is away is answered "saved", then really answered.
describe.skipIf(!adminUrl)('IRC while Postgres is unreachable', () => {
  let server: Ngircd;
  let proxy: TcpProxy;
  let bot: TestBot;
  let dana: RawIrcClient;

  beforeAll(async () => {
    server = await Ngircd.start();
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    dana = await RawIrcClient.connect(server.port, 'dana');
    await dana.join('#ops');
    bot = await startTestBot(behind.backend, {
      now: '2026-03-01T10:00:00Z',
      env: { IRC_HOST: server.host, IRC_PORT: String(server.port), OPS_CHANNEL: '#ops' },
      irc: { reconnectDelaysMs: [100], intervalMs: 50 },
    });
    await dana.waitFor((l) => l.nick === 'firebell' && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the bot joining #ops' });
  });
  afterAll(async () => {
    dana.destroy();
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
    await server.stop();
  });

  test('a !log typed during the outage is saved, then recorded and answered in its channel when the database is back', async () => {
    dana.privmsg('#ops', '!inc start Payments queue stuck');
    await dana.waitFor((l) => l.nick === 'firebell' && l.command === 'INVITE', { what: 'the invitation' });
    const channel = '#inc-1-payments-queue-stuck';
    await dana.join(channel);

    await proxy.cut();
    bot.clock.set('2026-03-01T10:05:00Z');
    dana.privmsg(channel, '!log Failing over to the standby');
    expect((await dana.waitFor(saidBy(channel), { what: 'the saved answer' })).params[1]).toMatch(/^⏳ The database is unreachable\. Your command is saved/);

    await proxy.restore();
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    await bot.firebell.outbox.drain();
    expect((await dana.waitFor(saidBy(channel), { what: 'the late answer' })).params[1]).toBe('dana: recorded now: log Failing over to the standby');
    expect((await dana.waitFor(saidBy(channel))).params[1]).toBe('Logged \x02#2\x02 on INC-1 at 2026-03-01 10:05 UTC');
    const { entries } = await bot.record(1);
    expect(entries.map((e) => [e.author, e.text])).toContainEqual(['dana', 'Failing over to the standby']);
  });
});
