import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Invocation } from '../../src/chat/types.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { ShellSession } from '../support/shell-session.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

// Lesson 1: the incident tool must not depend on what is failing.
describe.skipIf(!adminUrl)('while Postgres is unreachable', () => {
  const shell = new ShellSession();
  let proxy: TcpProxy;
  let bot: TestBot;

  beforeAll(async () => {
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    bot = await startTestBot(behind.backend, { now: '2026-03-01T10:00:00Z', shell: { ...shell, user: 'dana' } });
    await shell.type('start Payments queue stuck --tz UTC');
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
  });

  test('commands are accepted, kept in order, and recorded once the database is back', async () => {
    await proxy.cut();
    bot.clock.set('2026-03-01T10:05:00Z');
    expect(await shell.type('log Failing over to the standby')).toBe(
      '⏳ The database is unreachable. Your command is saved in the local journal and will be recorded, in order, when the database is back.',
    );
    bot.clock.set('2026-03-01T10:06:00Z');
    expect(await shell.type('action 10:04 Paged the DBA')).toMatch(/^⏳ /);
    expect(bot.firebell.journal.pending()).toHaveLength(2);
    // A read needs the database; it says so rather than hanging.
    expect(await shell.type('show')).toBe('✗ the database is unreachable, so show cannot answer now; timeline commands are still saved');

    await proxy.restore();
    const before = shell.transcript.length;
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    // The real replies go out through the chat outbox, kept with the commands they answer.
    await bot.firebell.outbox.drain();
    expect(shell.transcript.slice(before)).toBe(
      [
        '[recorded now: log Failing over to the standby]',
        'Logged #2 on INC-1 at 2026-03-01 10:05 UTC',
        '[recorded now: action 10:04 Paged the DBA]',
        'Logged action #3 on INC-1 at 2026-03-01 10:04 UTC',
        '',
      ].join('\n'),
    );
    const { entries } = await bot.record(1);
    expect(entries.map((e) => [e.occurredAt.toISOString(), e.kind, e.text])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'opened', 'Incident opened: Payments queue stuck (SEV3)'],
      ['2026-03-01T10:04:00.000Z', 'action', 'Paged the DBA'],
      ['2026-03-01T10:05:00.000Z', 'note', 'Failing over to the standby'],
    ]);
    expect(bot.firebell.journal.pending()).toHaveLength(0);
    // Back to normal: commands are answered at once again.
    expect(await shell.type('log Standby promoted')).toBe('Logged #4 on INC-1 at 2026-03-01 10:06 UTC');
  });

  test("someone else's message pinned during the outage is recorded once, at its own time, by its author", async () => {
    await proxy.cut();
    bot.clock.set('2026-03-01T10:20:00Z');
    const pin = (eventId: string): Invocation => ({
      verb: 'log',
      text: '',
      payload: { text: 'Standby is read-only' },
      actor: { platform: 'shell', id: 'dana', name: 'dana' },
      attribution: { author: { platform: 'shell', id: 'erin', name: 'erin' }, at: new Date('2026-03-01T10:15:00Z') },
      channel: { platform: 'shell', id: 'shell-pins' },
      eventId,
      idempotencyKey: 'pin:shell-pins:10:15',
      replyTo: { thread: '10:15' },
      receivedAt: bot.clock.now(),
    });
    expect((await bot.firebell.router.dispatch(pin('Ev1'))).tone).toBe('queued');
    // Slack retries while nothing answers: a second delivery of the same pin, queued too.
    expect((await bot.firebell.router.dispatch(pin('Ev2'))).tone).toBe('queued');
    await proxy.restore();
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    const pinned = (await bot.record(1)).entries.filter((e) => e.text === 'Standby is read-only');
    expect(pinned.map((e) => [e.occurredAt.toISOString(), e.author, e.addedBy])).toEqual([['2026-03-01T10:15:00.000Z', 'erin', 'dana']]);
  });

  test('a command typed while the backlog is being recorded waits behind it', async () => {
    await proxy.cut();
    bot.clock.set('2026-03-01T10:10:00Z');
    expect(await shell.type('log Second failover attempt')).toMatch(/^⏳ /);
    await proxy.restore();
    bot.clock.set('2026-03-01T10:11:00Z');
    const retried = bot.firebell.executor.retryBacklog();
    const typed = shell.type('log Typed while the backlog replays');
    expect(await retried).toBe(true);
    await typed;
    await bot.firebell.executor.idle();
    const { entries } = await bot.record(1);
    const ids = (text: string) => entries.find((e) => e.text === text)!.id;
    expect(ids('Second failover attempt')).toBeLessThan(ids('Typed while the backlog replays'));
  });

  test('a command that committed just before the connection dropped is answered "recorded" after "queued"', async () => {
    bot.clock.set('2026-03-01T10:20:00Z');
    // Postgres commits and answers COMMIT; the answer never reaches firebell, which saw the
    // connection drop mid-transaction and could only answer "queued".
    const cut = proxy.cutWhenServerSays('COMMIT\0');
    expect(await shell.type('log Replica caught up')).toMatch(/^⏳ /);
    await cut;
    // The executor also retries on a real-time timer (perhaps one left from an earlier test): let
    // any attempt under way fail against the cut and stop the timer, so the retry below is the one.
    await bot.firebell.executor.retryBacklog();
    bot.firebell.executor.stop();

    await proxy.restore();
    const before = shell.transcript.length;
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    const recorded = (await bot.record(1)).entries.filter((e) => e.text === 'Replica caught up');
    expect(recorded).toHaveLength(1);
    expect(shell.transcript.slice(before)).toBe(
      ['[recorded now: log Replica caught up]', `Logged #${recorded[0]!.id} on INC-1 at 2026-03-01 10:20 UTC`, ''].join('\n'),
    );
    expect(bot.firebell.journal.pending()).toHaveLength(0);
  });
});
