import { readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { StatusState, TimelineEntry } from '../../src/core/model.ts';
import type { IncidentRecord } from '../../src/core/record.ts';
import { renderPostmortemJson } from '../../src/postmortem/json.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';
import { ganttProblems, mermaidBlockOf } from './gantt-grammar.ts';
import { at, berlinRecord, entry, ongoingRecord } from './records.ts';
import { renderers, tableRows, visibleText } from './rendered-html.ts';

/**
 * Whole drafts of realistic incidents, compared with the files in golden/: a change to the draft
 * shows as a diff a reviewer reads. `UPDATE_GOLDEN=1` rewrites them (then read the diff).
 */
const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url);

async function matchesGolden(name: string, text: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN) await writeFile(golden(name), text);
  expect(text).toBe(await readFile(golden(name), 'utf8'));
}

const person = (name: string) => ({ author: name, authorId: `slack:${name}` });
const sorted = (entries: TimelineEntry[]) => entries.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id);
const update = (id: number, state: StatusState, message: string, postedAt: string, author = 'sam') => ({ id, incidentId: 1, state, message, author, authorId: `slack:${author}`, postedAt: at(postedAt) });

/** A SEV3 morning in UTC: detected, handled and resolved inside an hour, delivered to two status targets, after a warning everyone acked. */
function singleDay(): IncidentRecord {
  return {
    incident: { id: 12, title: 'Search results stale', severity: 3, state: 'resolved', timeZone: 'UTC', startedAt: at('2026-05-12T09:10:00Z'), resolvedAt: at('2026-05-12T09:58:00Z'), closedAt: at('2026-05-12T10:30:00Z'), openedBy: 'priya', openedById: 'slack:priya', openedAt: at('2026-05-12T09:21:00Z') },
    entries: sorted([
      entry(1, '2026-05-12T09:10:00Z', 'opened', 'Incident opened: Search results stale (SEV3)', { ...person('priya'), recordedAt: at('2026-05-12T09:21:00Z') }),
      entry(2, '2026-05-12T09:18:00Z', 'detected', 'Support ticket: new products missing from search', { ...person('priya'), recordedAt: at('2026-05-12T09:22:00Z') }),
      entry(3, '2026-05-12T09:23:00Z', 'role', 'priya is commander', person('priya')),
      entry(4, '2026-05-12T09:25:00Z', 'note', 'Indexer consumer lag at 2.1M messages', person('li')),
      entry(5, '2026-05-12T09:31:00Z', 'status', 'Status identified: Search is showing results up to 2 hours old.', person('sam')),
      entry(6, '2026-05-12T09:40:00Z', 'action', 'Scaled indexer from 2 to 8 workers', person('li')),
      entry(7, '2026-05-12T09:44:00Z', 'status', 'Status monitoring: Search is catching up.', person('sam')),
      entry(8, '2026-05-12T09:58:00Z', 'resolved', 'Resolved', person('priya')),
      entry(9, '2026-05-12T10:05:00Z', 'impact', 'Products added between 07:00 and 09:58 did not appear in search', person('priya')),
      entry(10, '2026-05-12T10:06:00Z', 'cause', 'Indexer autoscaling was capped at 2 workers since the March cost review', person('li')),
      entry(11, '2026-05-12T10:30:00Z', 'closed', 'Incident closed', person('priya')),
    ]),
    revisions: [],
    roles: [{ role: 'commander', holder: 'priya', holderId: 'slack:priya', assignedBy: 'priya', assignedById: 'slack:priya', assignedAt: at('2026-05-12T09:23:00Z') }],
    statusUpdates: [
      update(1, 'identified', 'Search is showing results up to 2 hours old.', '2026-05-12T09:31:00Z'),
      update(2, 'monitoring', 'Search is catching up.', '2026-05-12T09:44:00Z'),
      update(3, 'resolved', 'Search is up to date.', '2026-05-12T09:58:00Z', 'priya'),
    ],
    followups: [{ id: 4, incidentId: 12, text: 'Alert on indexer consumer lag', owner: 'li', ownerId: 'slack:li', dueOn: '2026-05-26', createdBy: 'priya', createdById: 'slack:priya', createdAt: at('2026-05-12T10:10:00Z'), doneAt: null, doneBy: null, doneById: null }],
    deliveries: [
      { id: 1, statusUpdateId: 1, statusEntryId: 5, target: 'static', state: 'delivered', attempts: 1, lastError: null, deliveredAt: at('2026-05-12T09:31:00Z') },
      { id: 2, statusUpdateId: 1, statusEntryId: 5, target: 'statuspage', state: 'delivered', attempts: 2, lastError: null, deliveredAt: at('2026-05-12T09:32:00Z') },
      { id: 3, statusUpdateId: 2, statusEntryId: 7, target: 'static', state: 'delivered', attempts: 1, lastError: null, deliveredAt: at('2026-05-12T09:44:00Z') },
      { id: 4, statusUpdateId: 2, statusEntryId: 7, target: 'statuspage', state: 'dead', attempts: 6, lastError: 'HTTP 503 from api.statuspage.io', deliveredAt: null },
      { id: 5, statusUpdateId: 3, statusEntryId: 8, target: 'static', state: 'delivered', attempts: 1, lastError: null, deliveredAt: at('2026-05-12T09:58:00Z') },
    ],
    warnings: [
      { name: 'W-7: IndexerConsumerLag', linkedBy: 'promote', sharedLabels: null, firstFiredAt: at('2026-05-11T22:40:00Z'), fireCount: 7, nagCount: 3, ackedBy: 'li', ackedAt: at('2026-05-12T09:24:00Z') },
      { name: 'W-9: SearchFreshnessSLO', linkedBy: 'labels', sharedLabels: { service: 'search' }, firstFiredAt: at('2026-05-12T08:05:00Z'), fireCount: 2, nagCount: 1, ackedBy: null, ackedAt: null },
    ],
  };
}

/** The Berlin SEV2 across midnight, with an impact typed the next morning and a cause backdated into the night. */
function acrossMidnight(): IncidentRecord {
  const r = berlinRecord();
  r.entries = sorted([
    ...r.entries,
    entry(6, '2026-03-01T22:44:00Z', 'detected', 'Checkout 502 alert paged dana'),
    entry(7, '2026-03-01T22:50:00Z', 'cause', 'Release 4812 shrank the DB pool to 5', { ...person('sam'), recordedAt: at('2026-03-02T08:00:00Z') }),
    entry(8, '2026-03-02T08:05:00Z', 'impact', 'About 4% of checkouts failed for 1h 45m', person('sam')),
  ]);
  return r;
}

/**
 * Three days in New York, reconstructed afterwards: the disk filled on Friday evening, nobody
 * looked until Saturday, the fix landed Sunday. Most entries typed on Monday with their times.
 */
function multiDay(): IncidentRecord {
  const monday = (hhmm: string) => ({ recordedAt: at(`2026-06-08T${hhmm}:00Z`) });
  return {
    incident: { id: 31, title: 'Replica 3 days behind primary', severity: 1, state: 'resolved', timeZone: 'America/New_York', startedAt: at('2026-06-05T22:15:00Z'), resolvedAt: at('2026-06-07T19:40:00Z'), closedAt: at('2026-06-08T15:00:00Z'), openedBy: 'omar', openedById: 'irc:omar', openedAt: at('2026-06-06T13:02:00Z') },
    entries: sorted([
      entry(1, '2026-06-05T22:15:00Z', 'opened', 'Incident opened: Replica 3 days behind primary (SEV1)', { author: 'omar', authorId: 'irc:omar', recordedAt: at('2026-06-06T13:02:00Z') }),
      entry(2, '2026-06-05T22:15:00Z', 'note', 'Replication lag warning fired (it fires during every rebalance)', { ...person('kim'), ...monday('14:00') }),
      entry(3, '2026-06-06T12:55:00Z', 'detected', 'Analyst reports yesterday\'s numbers missing', { ...person('kim'), ...monday('14:01') }),
      entry(4, '2026-06-06T13:30:00Z', 'action', 'Stopped the nightly rebalance', { author: 'omar', authorId: 'irc:omar' }),
      entry(5, '2026-06-06T16:00:00Z', 'decision', 'Rebuild the replica from a fresh base backup rather than wait', { author: 'omar', authorId: 'irc:omar' }),
      entry(6, '2026-06-07T03:20:00Z', 'note', 'Base backup 60% copied', { ...person('kim'), ...monday('14:05') }),
      entry(7, '2026-06-07T15:10:00Z', 'status', 'Status monitoring: Reports are being regenerated.', { author: 'omar', authorId: 'irc:omar' }),
      entry(8, '2026-06-07T19:40:00Z', 'resolved', 'Resolved', { author: 'omar', authorId: 'irc:omar' }),
      entry(9, '2026-06-08T14:10:00Z', 'impact', 'Reports for 4 and 5 June were wrong for 45 hours; 3 customers exported them', person('kim')),
      entry(10, '2026-06-06T04:00:00Z', 'cause', 'Replica disk full: WAL from the rebalance was never archived', { ...person('kim'), ...monday('14:12') }),
      entry(11, '2026-06-08T15:00:00Z', 'closed', 'Incident closed', { author: 'omar', authorId: 'irc:omar' }),
    ]),
    revisions: [{ entryId: 6, action: 'edit', previousText: 'Base backup 60% coppied', newText: 'Base backup 60% copied', changedBy: 'kim', changedById: 'slack:kim', changedAt: at('2026-06-08T14:06:00Z') }],
    roles: [
      { role: 'commander', holder: 'omar', holderId: 'irc:omar', assignedBy: 'omar', assignedById: 'irc:omar', assignedAt: at('2026-06-06T13:05:00Z') },
      { role: 'scribe', holder: 'kim', holderId: 'slack:kim', assignedBy: 'omar', assignedById: 'irc:omar', assignedAt: at('2026-06-08T13:55:00Z') },
    ],
    statusUpdates: [update(1, 'monitoring', 'Reports are being regenerated.', '2026-06-07T15:10:00Z', 'omar'), update(2, 'resolved', 'Reports are correct again.', '2026-06-07T19:40:00Z', 'omar')],
    followups: [
      { id: 9, incidentId: 31, text: 'Page when replication lag exceeds 1 hour outside rebalances', owner: 'kim', ownerId: 'slack:kim', dueOn: '2026-06-19', createdBy: 'omar', createdById: 'irc:omar', createdAt: at('2026-06-08T14:30:00Z'), doneAt: null, doneBy: null, doneById: null },
      { id: 10, incidentId: 31, text: 'Archive WAL during rebalances', owner: null, ownerId: null, dueOn: null, createdBy: 'omar', createdById: 'irc:omar', createdAt: at('2026-06-08T14:31:00Z'), doneAt: at('2026-06-08T15:30:00Z'), doneBy: 'kim', doneById: 'slack:kim' },
    ],
  };
}

/** Still going on: a few entries, one status update, nobody assigned. */
function stillOpen(): IncidentRecord {
  const r = ongoingRecord('Europe/Berlin');
  r.entries = [...r.entries, entry(2, '2026-03-01T22:55:00Z', 'note', 'Errors only from eu-west', person('sam'))];
  r.statusUpdates = [update(1, 'investigating', 'We are looking into failed checkouts.', '2026-03-01T23:00:00Z')];
  return r;
}

/** Resolved without a word to the public. */
function noStatusUpdates(): IncidentRecord {
  const r = berlinRecord();
  r.statusUpdates = [];
  r.incident = { ...r.incident, title: 'Internal VPN down', severity: 4 };
  return r;
}

const HOSTILE = [
  'a | b \\| c',
  '`code` ``x|y``',
  '<script>alert(1)</script>',
  'line one\nline two\r\nline three',
  '# not a heading',
  '[click](javascript:alert(1))',
  'https://evil.example/a<img src=x onerror=alert(1)>',
  '**bold** _it_ ~~s~~',
  '---',
  '1. not a list',
];

/** Every field a responder can type, filled with text that means something to Markdown or HTML; two entries of 4,000 characters. */
function hostile(): IncidentRecord {
  const h = (i: number) => HOSTILE[i % HOSTILE.length]!;
  const long = (seed: string) => seed.repeat(Math.ceil(4000 / seed.length)).slice(0, 4000);
  const r = berlinRecord();
  r.incident = { ...r.incident, title: '<b>Checkout</b> | `502` # down\nagain' };
  r.entries = sorted(
    [
      entry(1, '2026-03-01T22:40:00Z', 'opened', h(0), { author: h(1), authorId: 'slack:a' }),
      ...HOSTILE.map((text, i) => entry(10 + i, `2026-03-01T22:${String(41 + i).padStart(2, '0')}:00Z`, i % 2 ? 'note' : 'action', text, { author: h(i + 3), authorId: `slack:${i}` })),
      entry(30, '2026-03-01T23:00:00Z', 'note', long('| <b>x</b> `y` \n'), { author: h(2), authorId: 'slack:x' }),
      entry(31, '2026-03-01T23:01:00Z', 'note', long('word '), { author: 'sam', authorId: 'slack:sam' }),
      entry(32, '2026-03-02T08:00:00Z', 'impact', h(5), { author: h(4), authorId: 'slack:y' }),
      entry(33, '2026-03-02T08:01:00Z', 'cause', h(6), { author: h(7), authorId: 'slack:z' }),
    ],
  );
  r.revisions = [{ entryId: 12, action: 'edit', previousText: h(8), newText: h(2), changedBy: h(9), changedById: 'slack:e', changedAt: at('2026-03-01T23:20:00Z') }];
  r.roles = [{ role: 'comms', holder: h(3), holderId: 'slack:c', assignedBy: h(0), assignedById: 'slack:a', assignedAt: at('2026-03-01T22:45:00Z') }];
  r.statusUpdates = [update(1, 'identified', h(4), '2026-03-01T22:50:00Z', h(5))];
  r.deliveries = [{ id: 1, statusUpdateId: 1, statusEntryId: 5, target: h(6), state: 'dead', attempts: 3, lastError: h(7), deliveredAt: null }];
  r.warnings = [{ name: h(2), linkedBy: 'labels', sharedLabels: { [h(3)]: h(4) }, firstFiredAt: at('2026-02-28T10:00:00Z'), fireCount: 12, nagCount: 5, ackedBy: h(1), ackedAt: at('2026-02-28T11:00:00Z') }];
  r.followups = [{ id: 1, incidentId: 1, text: h(0), owner: h(1), ownerId: 'slack:o', dueOn: '2026-03-15', createdBy: 'dana', createdById: 'slack:dana', createdAt: at('2026-03-02T00:30:00Z'), doneAt: at('2026-03-03T09:00:00Z'), doneBy: h(5), doneById: 'slack:f' }];
  return r;
}

const generatedAt = at('2026-06-08T16:00:00Z');
const cases: [string, () => IncidentRecord][] = [
  ['single-day', singleDay],
  ['across-midnight', acrossMidnight],
  ['multi-day-backdated', multiDay],
  ['still-open', stillOpen],
  ['no-status-updates', noStatusUpdates],
  ['hostile-text', hostile],
];

describe.each(cases)('the %s incident', (name, record) => {
  test('renders the draft in the golden file', async () => {
    await matchesGolden(`${name}.md`, renderPostmortem(record(), generatedAt));
  });

  test('exports the JSON in the golden file', async () => {
    await matchesGolden(`${name}.json`, renderPostmortemJson(record(), generatedAt));
  });

  test('has a Mermaid block that is a valid gantt chart', () => {
    expect(ganttProblems(mermaidBlockOf(renderPostmortem(record(), generatedAt)))).toEqual([]);
  });
});

describe.each(renderers)('the hostile-text draft rendered by $name', ({ renderAsWritten }) => {
  test('shows every entry as typed, 4,000 characters included, one row each', () => {
    const r = hostile();
    const rows = tableRows(renderAsWritten(renderPostmortem(r, generatedAt))).map((row) => row.map(visibleText));
    for (const e of r.entries.filter((x) => x.kind === 'note' || x.kind === 'action')) {
      const shown = e.id === 12 ? `${e.text} (edited)` : e.text;
      const typed = shown.split(/\r?\n/).map((line) => line.trim()).join('\n');
      expect(rows.some((row) => row.length === 4 && row[2] === typed)).toBe(true);
    }
  });
});

describe('the status chart', () => {
  const states: StatusState[] = ['investigating', 'identified', 'monitoring', 'resolved'];
  test('is a valid gantt chart for any sequence of status updates, open or resolved, in any zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UTC', 'Europe/Berlin', 'MST', 'Australia/Lord_Howe', 'America/Havana'),
        fc.array(fc.record({ state: fc.constantFrom(...states), minutes: fc.oneof(fc.integer({ min: -60, max: 5000 }), fc.integer({ min: 0, max: 120 })) }), { maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom('2026-03-01T22:40:00Z', '2026-10-25T00:40:00Z'),
        (zone, updates, resolved, startedAt) => {
          const r = ongoingRecord(zone);
          // The second start is 40 minutes before Berlin's clocks go back: phases may end "earlier" on the wall clock.
          r.incident = { ...r.incident, startedAt: at(startedAt) };
          r.statusUpdates = updates.map((u, i) => update(i + 1, u.state, 'x', new Date(r.incident.startedAt.getTime() + u.minutes * 60_000).toISOString()));
          if (resolved) r.incident = { ...r.incident, state: 'resolved', resolvedAt: new Date(r.incident.startedAt.getTime() + 5000 * 60_000) };
          expect(ganttProblems(mermaidBlockOf(renderPostmortem(r, at('2026-03-10T00:00:00Z'))))).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the grammar check refuses what Mermaid refuses', () => {
    const chart = (task: string) => ['```mermaid', 'gantt', '    dateFormat YYYY-MM-DD HH:mm', `    ${task}`, '```'].join('\n');
    expect(ganttProblems(chart('Ok :a1, 2026-03-01 10:00, 2026-03-01 11:00'))).toEqual([]);
    expect(ganttProblems(chart('Bad: name :a1, 2026-03-01 10:00, 2026-03-01 11:00'))).not.toEqual([]);
    expect(ganttProblems(chart('Late :a1, 2026-03-01 11:00, 2026-03-01 10:00'))).not.toEqual([]);
    expect(ganttProblems(chart('Odd :a1, 2026-03-01 25:00, 2026-03-01 26:00'))).not.toEqual([]);
    expect(ganttProblems(chart('Lonely'))).not.toEqual([]);
  });
});
