import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { ShellSession } from '../support/shell-session.ts';

describe.each(backends)('which incident a command applies to, on $name', (backend) => {
  let bot: TestBot;
  const terminal = new ShellSession();
  beforeAll(async () => {
    bot = await startTestBot(backend, { shell: { input: terminal.input, output: terminal.output } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
  });

  describe('with two incidents open', () => {
    beforeEach(async () => {
      await bot.say('start Checkout down');
      await bot.say('start Search slow');
      // Their announcements reach the shell now, not in the middle of what a test types there.
      await bot.firebell.outbox.drain();
    });

    test('a command naming no incident lists the open ones', async () => {
      expect(await bot.say('log Paged the database team')).toBe(
        '✗ 2 incidents are open (INC-1 Checkout down; INC-2 Search slow): name one first, e.g. `log INC-1 …`',
      );
      expect((await bot.record(1)).entries).toHaveLength(1);
      expect((await bot.record(2)).entries).toHaveLength(1);
    });

    test('the hint for naming an incident uses the verb that was typed', async () => {
      expect(await bot.say('sev 1')).toBe('✗ 2 incidents are open (INC-1 Checkout down; INC-2 Search slow): name one first, e.g. `sev INC-1 …`');
    });

    test('an INC-n first word picks that incident', async () => {
      expect(await bot.say('log INC-2 Paged the search team')).toBe('Logged #3 on INC-2 at 2026-03-01 23:10 UTC');
      expect(await bot.say('status inc-1 identified Bad deploy')).toBe('INC-1 status is now identified: Bad deploy');
    });

    test('an INC-n in quotes is text, not a choice of incident', async () => {
      expect(await bot.say('log "INC-2" is related')).toMatch(/^✗ 2 incidents are open/);
    });

    test('a channel linked to an incident applies its commands to that incident', async () => {
      await bot.link('inc-2-search', 2);
      expect(await bot.say('log Paged the search team', { channel: 'inc-2-search' })).toBe('Logged #3 on INC-2 at 2026-03-01 23:10 UTC');
    });

    test('an INC-n first word wins over the channel link', async () => {
      await bot.link('inc-2-search', 2);
      expect(await bot.say('log INC-1 Checkout note from the search room', { channel: 'inc-2-search' })).toBe('Logged #3 on INC-1 at 2026-03-01 23:10 UTC');
    });

    test('an incident started from the shell links the shell to it', async () => {
      expect(await terminal.type('/incident start Payments failing')).toBe('INC-3 opened: Payments failing · SEV3 · started 2026-03-01 23:10 UTC');
      expect(await terminal.type('/incident log Card processor timing out')).toBe('Logged #4 on INC-3 at 2026-03-01 23:10 UTC');
      expect(await terminal.type('!inc log INC-1 Checkout is also affected')).toBe('Logged #5 on INC-1 at 2026-03-01 23:10 UTC');
    });
  });

  test('the only open incident is used when none is named', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log Paged the database team')).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
  });

  test('a closed incident is not the only open one', async () => {
    await bot.say('start Checkout down');
    await bot.say('start Search slow');
    await bot.say('close INC-1');
    expect(await bot.say('log Search index rebuilt')).toBe('Logged #4 on INC-2 at 2026-03-01 23:10 UTC');
  });

  test('which incident a channel means follows each change, from one command to the next', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log first')).toMatch(/^Logged #\d+ on INC-1 /);
    await bot.say('start Search slow');
    expect(await bot.say('log second')).toMatch(/^✗ 2 incidents are open/);
    await bot.say('close INC-1');
    expect(await bot.say('log third')).toMatch(/^Logged #\d+ on INC-2 /);
    await bot.link('search-room', 2);
    expect(await bot.say('log fourth', { channel: 'search-room' })).toMatch(/^Logged #\d+ on INC-2 /);
    await bot.say('close INC-2');
    expect(await bot.draft(2)).not.toContain('fifth');
    // Logged on the closed incident all the same, and its draft follows: the channel's incident is read as closed now.
    expect(await bot.say('log fifth', { channel: 'search-room' })).toMatch(/^Logged #\d+ on INC-2 /);
    expect(await bot.draft(2)).toContain('fifth');
  });

  test('with no incident open, it says how to start one', async () => {
    expect(await bot.say('log Paged the database team')).toBe('✗ no incident is open: start one with `start <title>`');
    await bot.say('start Checkout down');
    await bot.say('close');
    expect(await bot.say('status monitoring Looks better')).toBe('✗ no incident is open: start one with `start <title>`');
  });

  test('an unknown INC-n is a clear error that records nothing', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log INC-9 Paged the database team')).toBe('✗ INC-9 does not exist');
    expect(await bot.say('show INC-9')).toBe('✗ INC-9 does not exist');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('a first word meant as an incident but not a valid reference is a one-line error that records nothing', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log INC1 Paged the database team')).toBe('✗ bad incident reference "INC1": use INC-<number>, e.g. INC-3');
    expect(await bot.say('sev inc_1 2')).toBe('✗ bad incident reference "inc_1": use INC-<number>, e.g. INC-3');
    expect(await bot.say('status INC-1x monitoring Better')).toBe('✗ bad incident reference "INC-1x": use INC-<number>, e.g. INC-3');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('an incident number beyond the database int is refused, not a failure', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log INC-99999999999999999999 x')).toBe('✗ INC-99999999999999999999 does not exist');
    expect(await bot.say('log INC-2147483648 x')).toBe('✗ INC-2147483648 does not exist');
    expect(await bot.say('log INC-2147483647 x')).toBe('✗ INC-2147483647 does not exist');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('a first word that only starts like an incident is text', async () => {
    await bot.say('start Checkout down');
    expect(await bot.say('log incident bridge opened')).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
    expect(await bot.say('log Inc. vendor paged')).toBe('Logged #3 on INC-1 at 2026-03-01 23:10 UTC');
    expect((await bot.record(1)).entries.slice(1).map((e) => e.text)).toEqual(['incident bridge opened', 'Inc. vendor paged']);
  });

  test('a channel linked to a closed incident still takes its timeline entries', async () => {
    await bot.say('start Checkout down');
    await bot.say('start Search slow');
    await bot.link('inc-1-checkout', 1);
    await bot.say('close', { channel: 'inc-1-checkout' });
    expect(await bot.say('log Late note for the review', { channel: 'inc-1-checkout' })).toBe('Logged #4 on INC-1 at 2026-03-01 23:10 UTC');
  });
});
