import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';

describe.each(backends)('warn, warnings, ack, snooze and promote on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend, { env: { WARNING_OWNERS: 'db=dana' } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-02T10:00:00Z');
  });

  test('a warning typed by hand is listed with its age, fire count, nag count and owner', async () => {
    expect(await bot.say('warn Replica lag above 30s --key replica-lag')).toBe('W-1 recorded: Replica lag above 30s');
    bot.clock.advance('5m');
    expect(await bot.say('warn Replica lag above 60s --key replica-lag')).toBe('W-1 fired again (2 times): Replica lag above 60s');
    bot.clock.advance('5m');
    expect(await bot.say('warn Disk 91% full on db-2')).toBe('W-2 recorded: Disk 91% full on db-2');
    expect(await bot.say('warnings')).toBe(
      [
        'W-1 10m old · fired 2× · nagged 0× · owner none · Replica lag above 60s',
        'W-2 0s old · fired 1× · nagged 0× · owner none · Disk 91% full on db-2',
      ].join('\n'),
    );
  });

  test('the same words without --key are the same warning', async () => {
    await bot.say('warn Disk full on db-2');
    expect(await bot.say('warn  disk FULL on db-2')).toBe('W-1 fired again (2 times): disk FULL on db-2');
  });

  test('ack stops a warning and says who; an unknown or mistyped warning is refused', async () => {
    await bot.say('warn Replica lag --key lag');
    expect(await bot.say('ack W-1 looking at it', { as: 'lee' })).toBe('W-1 acked by lee; no more nags about it (looking at it)');
    expect(await bot.say('warnings')).toBe('W-1 0s old · fired 1× · nagged 0× · owner none · acked by lee · Replica lag');
    expect(await bot.say('ack W-9')).toBe('✗ W-9 does not exist: `warnings` lists the open ones');
    expect(await bot.say('ack lag')).toBe('✗ bad warning "lag": use the W-number `warnings` shows, e.g. W-3');
  });

  test('snooze says until when; a bad duration changes nothing', async () => {
    await bot.say('warn Replica lag --key lag');
    expect(await bot.say('snooze W-1 2h')).toBe('W-1 snoozed for 2h 00m, until 12:00');
    expect(await bot.say('snooze W-1 soon')).toBe('✗ bad duration "soon": use a number and s, m, h or d, e.g. 15m or 1h30m');
    expect(await bot.say('snooze W-1 30d')).toBe('✗ a snooze may last at most 7d: ack the warning instead');
    expect(await bot.say('snooze W-1')).toBe('✗ missing duration; usage: snooze <W-n> <duration>');
    expect(await bot.say('warnings')).toBe('W-1 0s old · fired 1× · nagged 0× · owner none · snoozed until 12:00 · Replica lag');
  });

  test('promote opens an incident whose timeline starts with the warning history', async () => {
    await bot.say('warn Replica lag --key lag');
    bot.clock.advance('20m');
    await bot.say('warn Replica lag --key lag');
    expect(await bot.say('promote W-1')).toBe('INC-1 opened from W-1: Replica lag · SEV3');
    const record = await bot.record(1);
    expect(record.entries.map((e) => [e.kind, e.occurredAt.toISOString(), e.text])).toEqual([
      ['detected', '2026-03-02T10:00:00.000Z', 'Promoted from W-1 (key:lag): first fired 2026-03-02T10:00:00.000Z, fired 2 times, nagged 0 times, never acked'],
      ['opened', '2026-03-02T10:20:00.000Z', 'Incident opened: Replica lag (SEV3)'],
    ]);
    // The postmortem's "Warnings before the incident" shows its history.
    expect(renderPostmortem(await bot.record(1), bot.clock.now())).toContain('| W-1: Replica lag | promoted into it | 2026-03-02 10:00 | 2× | 0 |');
    expect(await bot.say('promote W-1')).toBe('✗ W-1 was promoted to INC-1 already');
    expect(await bot.say('warnings')).toBe('W-1 20m old · fired 2× · nagged 0× · owner none · acked by dana · Replica lag');
  });

  test('the warning verbs are in help', async () => {
    expect(await bot.say('help snooze')).toBe(
      'snooze <W-n> <duration>\nPause the nags about a warning for a while (30m, 2h, 1d); they carry on afterwards.',
    );
  });
});
