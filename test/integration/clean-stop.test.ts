import { describe, expect, test } from 'vitest';
import { startTestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RunningFirebell } from '../support/cli.ts';

const BURST = 400;
const STOPPING = '✗ firebell is stopping, so this command was not taken: send it again in a moment';

describe.each(backends)('SIGTERM during a burst, through the real binary, on $name', (backend) => {
  test('exits 0 within 10 s and keeps every acknowledged command, once and in order', async () => {
    const database = await backend.create();
    try {
      const bot = new RunningFirebell({ ...database.settings });
      const lines = ['start Burst of notes --tz UTC', ...Array.from({ length: BURST }, (_, i) => `log burst note ${i + 1}`)];
      bot.child.stdin.write(lines.join('\n') + '\n');
      const replies = () => bot.stdout.split('\n').slice(0, -1);
      // Mid-burst: some answered, most not yet.
      await bot.waitFor(() => replies().length >= 30);
      const signalledAt = Date.now();
      const exit = await bot.kill('SIGTERM');
      const stopMs = Date.now() - signalledAt;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(10_000);
      expect(bot.stderr).not.toMatch(/"level":(50|60)/);

      const [opened, ...answers] = replies();
      expect(opened).toMatch(/^INC-1 opened: Burst of notes/);
      // The shell answers in order: answer i is for `log burst note i+1`.
      const acknowledged = answers.flatMap((a, i) => (a.startsWith('Logged #') ? [`burst note ${i + 1}`] : []));
      const refused = answers.filter((a) => a === STOPPING);
      expect(acknowledged.length).toBeGreaterThanOrEqual(29);
      expect(acknowledged.length + refused.length).toBe(answers.length);
      expect(acknowledged).toEqual(Array.from({ length: acknowledged.length }, (_, i) => `burst note ${i + 1}`));

      // A fresh start on the same data (replaying the journal, if anything were left there).
      const again = await startTestBot(backend, { database });
      try {
        const texts = (await again.record(1)).entries.map((e) => e.text).filter((t) => t.startsWith('burst note'));
        expect(texts).toEqual(acknowledged);
        expect(again.firebell.journal.pending()).toHaveLength(0);
      } finally {
        await again.stop();
      }
    } finally {
      await database.drop();
    }
  });

  test('a second signal ends it at once, and every acknowledged command is still recorded once', async () => {
    const database = await backend.create();
    try {
      const bot = new RunningFirebell({ ...database.settings, LOG_LEVEL: 'info' });
      const lines = ['start Burst of notes --tz UTC', ...Array.from({ length: BURST }, (_, i) => `log burst note ${i + 1}`)];
      bot.child.stdin.write(lines.join('\n') + '\n');
      const replies = () => bot.stdout.split('\n').slice(0, -1);
      await bot.waitFor(() => replies().length >= 30);
      bot.child.kill('SIGTERM');
      await bot.waitFor(() => bot.stderr.includes('stopping: no new commands'));
      const exit = await bot.kill('SIGINT');
      expect(exit).toEqual({ code: 130, signal: null });

      const acknowledged = replies()
        .slice(1)
        .flatMap((a, i) => (a.startsWith('Logged #') ? [`burst note ${i + 1}`] : []));
      expect(acknowledged.length).toBeGreaterThanOrEqual(29);
      const again = await startTestBot(backend, { database });
      try {
        const texts = (await again.record(1)).entries.map((e) => e.text).filter((t) => t.startsWith('burst note'));
        // Commands taken but not yet answered may be recorded too: they were never refused.
        expect(texts.slice(0, acknowledged.length)).toEqual(acknowledged);
        expect(new Set(texts).size).toBe(texts.length);
      } finally {
        await again.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
