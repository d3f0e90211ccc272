import { describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { plainLines } from '../../src/chat/reply.ts';
import type { Incident } from '../../src/core/model.ts';

const incident: Incident = {
  id: 3,
  title: 'Checkout down',
  severity: 2,
  state: 'identified',
  timeZone: 'UTC',
  startedAt: new Date('2026-03-01T10:00:00Z'),
  resolvedAt: null,
  closedAt: null,
  openedBy: 'dana',
  openedById: 'slack:U1',
  openedAt: new Date('2026-03-01T10:00:00Z'),
};
const said = (n: Parameters<typeof noticeText>[0]) => {
  const t = noticeText(n);
  return t && { audience: t.audience, text: plainLines({ tone: 'ok', lines: [t.line] })[0], mention: t.mention };
};

describe('the words every platform uses for a notice', () => {
  test('an opened or closed incident is announced to the ops channel', () => {
    expect(said({ kind: 'incident_opened', incident, opener: { platform: 'irc', id: 'sam', name: 'sam' }, origin: { platform: 'irc', channelId: '#ops' } })).toEqual({
      audience: { to: 'ops' },
      text: '📣 INC-3 opened by sam: Checkout down (SEV2)',
      mention: [],
    });
    expect(said({ kind: 'incident_closed', incident })?.text).toBe('📣 INC-3 closed: Checkout down');
  });

  test('a change is said in the incident channel, with what changed', () => {
    const updated = (change: 'status' | 'severity' | 'role') => said({ kind: 'incident_updated', incident, change, commander: { name: 'erin', id: 'slack:U2' } });
    expect(updated('status')).toEqual({ audience: { to: 'incident', incidentId: 3 }, text: 'INC-3 [SEV2] identified: Checkout down (status identified)', mention: [] });
    expect(updated('severity')?.text).toBe('INC-3 [SEV2] identified: Checkout down (now SEV2)');
    expect(updated('role')?.text).toBe('INC-3 [SEV2] identified: Checkout down (commander: erin)');
  });

  test('a ready draft is linked in the incident channel; an outdated one says nothing', () => {
    expect(said({ kind: 'postmortem_ready', incidentId: 3, filename: 'INC-3.md', url: 'https://fb.example/postmortems/INC-3.md?token=x' })?.text).toBe(
      'Postmortem draft for INC-3: https://fb.example/postmortems/INC-3.md?token=x',
    );
    expect(said({ kind: 'postmortem_ready', incidentId: 3, filename: 'INC-3.md', url: null })?.text).toBe('Postmortem draft for INC-3: INC-3.md');
    expect(noticeText({ kind: 'postmortem_outdated', incidentId: 3 })).toBeNull();
  });

  test('a stuck status delivery is told in ops: what, where, how long, how often tried, and why', () => {
    const stuck = { kind: 'status_delivery_stuck' as const, incident, deliveryId: 7, target: 'statuspage', state: 'identified' as const };
    expect(said({ ...stuck, attempts: 4, waitedMs: 6 * 60_000 + 5_000, lastError: 'POST https://api.statuspage.io/v1/pages answered 503' })).toEqual({
      audience: { to: 'ops' },
      text: '⏳ The identified update of INC-3 (Checkout down) has waited 6m 05s for statuspage, tried 4 times (last error: POST https://api.statuspage.io/v1/pages answered 503); deliveries lists it',
      mention: [],
    });
    // A target no instance sends to any more: never tried, no error to show.
    expect(said({ ...stuck, attempts: 0, waitedMs: 5 * 60_000, lastError: null })?.text).toBe(
      '⏳ The identified update of INC-3 (Checkout down) has waited 5m for statuspage, not tried yet; deliveries lists it',
    );
  });
});
