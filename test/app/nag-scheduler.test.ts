import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { renderShellNotice } from '../../src/chat/shell/render.ts';
import type { Reply } from '../../src/chat/types.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { ShellSession } from '../support/shell-session.ts';

/** What the chat was told since the last look, one line each as the shell prints it. */
function heard(chat: RecordingAdapter): string[] {
  const lines = chat.told.map(({ notice }) => {
    const text = noticeText(notice);
    const where = text?.audience.to === 'incident' ? `[INC-${text.audience.incidentId}] ` : '[ops] ';
    return text ? where + renderShellNotice(text).trimEnd() : `(${notice.kind})`;
  });
  chat.told.length = 0;
  return lines;
}

let alertCounter = 0;

/** What the alert hook would send for one Alertmanager alert. */
function alert(bot: TestBot, status: 'firing' | 'resolved', fingerprint: string, at: string, owner: string | null = null): Promise<Reply> {
  return bot.firebell.router.dispatch({
    verb: 'alert',
    text: '',
    payload: { fingerprint, summary: 'ReplicationLag: replica db-2 is 40 s behind', severity: 'warning', owner, labels: { alertname: 'ReplicationLag', team: 'db' }, generatorUrl: null, status, at },
    actor: { platform: 'hook', id: 'alertmanager', name: 'Alertmanager' },
    channel: { platform: 'hook', id: 'alertmanager' },
    eventId: `alert-${++alertCounter}`,
    idempotencyKey: `alertmanager:${fingerprint}:${at}:${status}`,
    receivedAt: bot.clock.now(),
  });
}

describe.each(backends)('nags on $name', (backend) => {
  let bot: TestBot;
  let chat: RecordingAdapter;
  beforeAll(async () => {
    chat = new RecordingAdapter('test');
    bot = await startTestBot(backend, { adapters: () => [chat], env: { WARNING_OWNERS: 'db=dana' } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-02T10:00:00Z');
    // The clock went back for this test: the scheduler looks again from here, as it would on start.
    await bot.firebell.scheduler.tick();
    chat.told.length = 0;
  });

  test('an unacked warning is nagged after 15 min, 30 min, 1 h, 2 h, then every 4 h, until acked', async () => {
    await bot.say('warn Replica lag above 30s --key lag');
    await bot.advance('14m');
    expect(heard(chat)).toEqual([]);
    await bot.advance('1m');
    expect(heard(chat)).toEqual(['[ops] ⏰ W-1 still unacked, nag 1 (fired once): Replica lag above 30s · ack W-1 or snooze W-1 <duration>']);
    await bot.advance('30m');
    await bot.advance('1h');
    await bot.advance('2h');
    await bot.advance('4h');
    expect(heard(chat).map((l) => /nag (\d)/.exec(l)?.[1])).toEqual(['2', '3', '4', '5']);
    await bot.say('ack W-1 on it', { as: 'lee' });
    await bot.advance('12h');
    expect(heard(chat)).toEqual([]);
    expect(await bot.say('warnings')).toBe('W-1 19h 45m old · fired 1× · nagged 5× · owner none · acked by lee · Replica lag above 30s');
  });

  test('a snoozed warning is quiet until the snooze ends, then nagged', async () => {
    await bot.say('warn Replica lag above 30s --key lag');
    await bot.say('snooze W-1 1h');
    await bot.advance('59m');
    expect(heard(chat)).toEqual([]);
    await bot.advance('1m');
    expect(heard(chat)).toHaveLength(1);
  });

  test('a resolved alert stops the nags and says how long it went on, how often nagged, and that no one acked', async () => {
    expect((await alert(bot, 'firing', 'fp1', '2026-03-02T10:00:00Z')).tone).toBe('ok');
    await bot.advance('50m');
    expect(heard(chat)).toEqual([
      '[ops] ⏰ W-1 still unacked, nag 1 (fired once): ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
      '[ops] ⏰ W-1 still unacked, nag 2 (fired once): ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
    ]);
    await alert(bot, 'resolved', 'fp1', '2026-03-02T10:50:00Z');
    await bot.advance('10h');
    expect(heard(chat)).toEqual(['[ops] ✅ W-1 resolved after 50m, nagged 2 times, never acked: ReplicationLag: replica db-2 is 40 s behind']);
  });

  test('the same firing sent twice (Alertmanager repeats a group) counts once', async () => {
    await alert(bot, 'firing', 'fp1', '2026-03-02T10:00:00Z');
    await alert(bot, 'firing', 'fp1', '2026-03-02T10:00:00Z');
    expect(await bot.say('warnings')).toContain('fired 1×');
  });

  test('a warning that fires 5 times in 24 h unacked is called habitually ignored at once, naming its owner', async () => {
    for (let i = 0; i < 4; i++) {
      const start = bot.clock.now().toISOString();
      await alert(bot, 'firing', 'flappy', start, 'dana');
      await bot.advance('5m');
      await alert(bot, 'resolved', 'flappy', bot.clock.now().toISOString());
      await bot.advance('2h');
    }
    // Each episode resolved before its first nag: nobody heard of it yet.
    expect(heard(chat)).toEqual([]);
    await alert(bot, 'firing', 'flappy', bot.clock.now().toISOString(), 'dana');
    await bot.advance('2s');
    expect(heard(chat)).toEqual([
      '[ops] 🔥 W-1 is habitually ignored (fired 5 times, never acked in time), nag 1: ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
    ]);
    expect(await bot.say('warnings')).toBe('W-1 2s old · fired 5× · nagged 1× · owner dana · 🔥 habitually ignored · ReplicationLag: replica db-2 is 40 s behind');
  });

  test('the daily digest at 09:00 is headed by habitually ignored warnings', async () => {
    bot.clock.set('2026-03-02T07:00:00Z');
    await bot.say('warn Disk 91% full --key disk');
    for (let i = 0; i < 5; i++) await bot.say('warn Queue backlog growing --key queue');
    await bot.say('ack W-1');
    heard(chat);
    await bot.advance('2h');
    expect(heard(chat).filter((l) => l.includes('digest'))).toEqual([
      '[ops] 📋 Warnings digest (2): habitually ignored: W-2 Queue backlog growing (fired 5 times, nagged 3 times) · open: W-1 Disk 91% full (fired once, nagged 0 times)',
    ]);
    await bot.advance('23h');
    expect(heard(chat).filter((l) => l.includes('digest'))).toEqual([]);
    await bot.advance('1h');
    expect(heard(chat).filter((l) => l.includes('digest'))).toHaveLength(1);
  });

  test('an incident without a status update for its cadence reminds its commander in its channel', async () => {
    await bot.say('start Checkout down --sev 1');
    await bot.say('role lead sam');
    await bot.advance('29m');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([]);
    await bot.advance('5m');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([
      '[INC-1] ⏰ INC-1 [SEV1] investigating: Checkout down: no public status update for 30m; post one with status <state> <message> (sam)',
    ]);
    await bot.say('status identified Bad deploy, rolling back');
    await bot.advance('29m');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([]);
    await bot.advance('6m');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toHaveLength(1);
  });

  test('a SEV4 is never reminded', async () => {
    await bot.say('start Typo on the status page --sev 4');
    await bot.advance('12h');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([]);
  });
});

describe.each(backends)('nags on the shell on $name', (backend) => {
  const terminal = new ShellSession();
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-02T10:00:00Z', shell: { input: terminal.input, output: terminal.output, user: 'dana' } });
  });
  afterAll(() => bot.stop());

  test('a responder at the terminal sees the nags, acks, and hears no more', async () => {
    expect(await terminal.type('warn Replica lag above 30s --key lag')).toBe('W-1 recorded: Replica lag above 30s');
    const before = terminal.transcript.length;
    await bot.advance('15m');
    expect(terminal.transcript.slice(before)).toBe('⏰ W-1 still unacked, nag 1 (fired once): Replica lag above 30s · ack W-1 or snooze W-1 <duration>\n');
    expect(await terminal.type('ack W-1')).toBe('W-1 acked by dana; no more nags about it');
    const afterAck = terminal.transcript.length;
    await bot.advance('8h');
    expect(terminal.transcript.slice(afterAck)).toBe('');
  });
});

describe.each(backends)('a demo cadence in seconds on $name', (backend) => {
  let bot: TestBot;
  let chat: RecordingAdapter;
  beforeAll(async () => {
    chat = new RecordingAdapter('test');
    bot = await startTestBot(backend, { now: '2026-03-02T10:00:00Z', adapters: () => [chat], env: { STATUS_CADENCE: 'sev1:30s' } });
  });
  afterAll(() => bot.stop());

  test('an incident opened while the scheduler sleeps is reminded on its cadence, not at its next look', async () => {
    await bot.advance('1m');
    await bot.say('start Checkout down --sev 1');
    await bot.advance('29s');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([]);
    await bot.advance('1s');
    expect(heard(chat).filter((l) => l.includes('⏰'))).toEqual([
      '[INC-1] ⏰ INC-1 [SEV1] investigating: Checkout down: no public status update for 30s; post one with status <state> <message>',
    ]);
  });
});
