import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';
import { renderers, tableRows, visibleText } from '../postmortem/rendered-html.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';

/**
 * Issue 21, "done when": a real public write-up replayed into the bot as a new user would, then
 * exported. The timeline is GitLab's "Postmortem of database outage of January 31" (2017, times
 * UTC, as published; where it says "~" the time is its round figure). Public updates are posted as
 * they were, live; everything else is typed ten days later with the times the write-up gives.
 */
describe.each(backends)('the GitLab.com database outage of 31 January 2017, replayed on $name', (backend) => {
  let bot: TestBot;
  let draft: string;

  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2017-01-31T22:05:00Z' });
    const say = async (line: string) => {
      const reply = await bot.say(line);
      if (/^✗|bad|unknown/i.test(reply)) throw new Error(`${line} → ${reply}`);
      return reply;
    };
    // Live, the night it happened.
    await say('start GitLab.com database outage --sev 1 --at "2017-01-31 21:00" --tz UTC');
    await say('role commander yorick');
    bot.clock.set('2017-01-31T23:45:00Z');
    await say('status identified We accidentally deleted production data and might have to restore from backup.');
    bot.clock.set('2017-02-01T17:30:00Z');
    await say('status monitoring The database has been restored from a 6-hour-old copy; GitLab.com is coming back.');
    bot.clock.set('2017-02-01T18:20:00Z');
    await say('resolve 2017-02-01 18:14 GitLab.com is back online.');
    // Ten days later, from the write-up, backdated.
    bot.clock.set('2017-02-10T10:00:00Z');
    await say('log 2017-01-31 18:00 Spammers hammer the database by creating snippets');
    await say('log 2017-01-31 21:00 Spam load escalates: writes lock up, the site is degraded');
    await say('detected 2017-01-31 22:00 Paged: database replication lagged too far behind, effectively stopped');
    await say('action 2017-01-31 22:30 Tried to restart replication on db2 with pg_basebackup; it keeps failing');
    await say('action 2017-01-31 23:00 Removed the data directory to unblock pg_basebackup: on db1, the primary, not db2');
    await say('action 2017-01-31 23:27 Removal stopped, but of around 300 GB only about 4.5 GB is left');
    await say('decision 2017-01-31 23:40 Take GitLab.com down; restore from the LVM snapshot taken 6 hours earlier');
    await say('action 2017-02-01 00:36 Backed up db1.staging data');
    await say('action 2017-02-01 01:18 Copied what was left of production data, pg_xlog included');
    await say('note 2017-02-01 04:00 Copy to staging running at about 60 Mbps: slow disks, hours to go');
    await say('impact About 6 hours of data lost: roughly 5,000 projects, 5,000 comments and 700 new users; GitLab.com down 18 hours');
    await say('cause An engineer ran rm -rf on the primary database host instead of the secondary');
    await say('cause None of the five backup and replication methods was working or tested: the backups were empty');
    await say('followup Test restores from backup automatically --owner yorick --due 2017-03-01');
    await say('close');
    draft = await bot.draft(1);
  });
  afterAll(() => bot.stop());

  test('the summary says when, in the stated zone, across midnight, with the duration from start to resolution', () => {
    expect(draft).toContain(
      'On Tuesday 31 January 2017, between 21:00 and 18:14 the next day (UTC), GitLab.com database outage. ' +
        'Severity 1; 21h 14m from start to resolution. Status: closed.',
    );
  });

  test('every entry is on the timeline in the order it happened, grouped by day, in UTC', () => {
    const timeline = draft.slice(draft.indexOf('## Timeline'), draft.indexOf('## Public communications'));
    expect(timeline).toContain('All times UTC.');
    const days = [...timeline.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(days).toEqual(['2017-01-31 (Tuesday)', '2017-02-01 (Wednesday)', '2017-02-10 (Friday)']);
    const rows = [...timeline.matchAll(/^\| (\d\d:\d\d) \| (\w+) \| (.+?) \| \w+ \|$/gm)].map((m) => `${m[1]} ${m[2]}: ${m[3]}`);
    expect(rows).toEqual([
      '18:00 note: Spammers hammer the database by creating snippets',
      '21:00 opened: Incident opened: GitLab.com database outage (SEV1)',
      '21:00 note: Spam load escalates: writes lock up, the site is degraded',
      '22:00 detected: Paged: database replication lagged too far behind, effectively stopped',
      '22:05 role: yorick is commander',
      '22:30 action: Tried to restart replication on db2 with pg\\_basebackup; it keeps failing',
      '23:00 action: Removed the data directory to unblock pg\\_basebackup: on db1, the primary, not db2',
      '23:27 action: Removal stopped, but of around 300 GB only about 4.5 GB is left',
      '23:40 decision: Take GitLab.com down; restore from the LVM snapshot taken 6 hours earlier',
      '23:45 status: Status identified: We accidentally deleted production data and might have to restore from backup.',
      '00:36 action: Backed up db1.staging data',
      '01:18 action: Copied what was left of production data, pg\\_xlog included',
      '04:00 note: Copy to staging running at about 60 Mbps: slow disks, hours to go',
      '17:30 status: Status monitoring: The database has been restored from a 6-hour-old copy; GitLab.com is coming back.',
      '18:14 status: Status resolved: GitLab.com is back online.',
      '10:00 closed: Incident closed',
    ]);
    // Judgements typed without a time are not events of 10 February.
    expect(timeline).not.toContain('rm -rf');
    expect(timeline).not.toContain('5,000 projects');
  });

  test('key times and durations are right, each with its rule', () => {
    const keyTimes = draft.slice(draft.indexOf('## Key times and durations'), draft.indexOf('## Status over time'));
    for (const row of [
      '| Started ¹ | 2017-01-31 21:00 |',
      '| Detected ² | 2017-01-31 22:00 |',
      '| Acknowledged ³ | 2017-01-31 22:05 |',
      '| Mitigated ⁴ | 2017-02-01 17:30 |',
      '| Resolved ⁵ | 2017-02-01 18:14 |',
      '| Closed ⁶ | 2017-02-10 10:00 |',
      '| Time to detect | started → detected | 1h 00m |',
      '| Time to acknowledge | detected → acknowledged | 5m |',
      '| Time to mitigate | started → mitigated | 20h 30m |',
      '| Time to resolve | started → resolved | 21h 14m |',
      '² **Detected**: the first `detected` entry.  ',
    ]) {
      expect(keyTimes).toContain(row);
    }
  });

  test('impact and causes fill their sections; what only people can judge is left as prompts', () => {
    expect(draft.slice(draft.indexOf('## Impact'), draft.indexOf('## Key times'))).toContain(
      '| — | About 6 hours of data lost: roughly 5,000 projects, 5,000 comments and 700 new users; GitLab.com down 18 hours | dana |',
    );
    const causes = draft.slice(draft.indexOf('## Contributing factors'), draft.indexOf('## What went well'));
    expect(causes).toContain('| — | An engineer ran rm -rf on the primary database host instead of the secondary | dana |');
    expect(causes).toContain('| — | None of the five backup and replication methods was working or tested: the backups were empty | dana |');
    for (const heading of ['## What went well', '## What went wrong', '## Where we got lucky']) {
      expect(draft).toContain(`${heading}\n\n_Prompt: `);
    }
    expect(draft).toContain('| F-1 | Test restores from backup automatically | yorick | 2017-03-01 | open |');
  });

  test('the status chart has the three public phases and the resolution', () => {
    expect(draft).toContain(
      [
        '    Investigating :phase1, 2017-01-31 21:00, 2017-01-31 23:45',
        '    Identified :phase2, 2017-01-31 23:45, 2017-02-01 17:30',
        '    Monitoring :phase3, 2017-02-01 17:30, 2017-02-01 18:14',
        '    Resolved :milestone, phase4, 2017-02-01 18:14, 0m',
      ].join('\n'),
    );
  });

  test.each(renderers)('the draft on disk is the record rendered, and reads as tables in $name', async ({ render }) => {
    // The file was written at close; rendered again at that moment it is the same text.
    expect(draft).toBe(renderPostmortem(await bot.record(1), new Date('2017-02-10T10:00:00Z')));
    const rows = tableRows(render(draft));
    expect(rows.filter((r) => r.length === 4 && /^\d\d:\d\d$/.test(visibleText(r[0]!)))).toHaveLength(16);
  });
});
