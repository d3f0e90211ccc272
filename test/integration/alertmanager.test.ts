import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { renderShellNotice, renderShellReply } from '../../src/chat/shell/render.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { startFirebell, type Firebell } from '../../src/main.ts';
import { freePort } from '../http/raw-http.ts';
import { Alertmanager } from '../support/alertmanager.ts';
import { backends, silentLog, type TestDatabase } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const TOKEN = 'alertmanager-test-token-0123456789';
const LABELS = { alertname: 'ReplicationLag', instance: 'db-2:9187', severity: 'warning', owner: 'dana' };
const ANNOTATIONS = { summary: 'replica db-2 is 40 s behind' };

/** What the ops channel said, as the shell prints it. */
function said(chat: RecordingAdapter): string[] {
  return chat.told.map(({ notice }) => {
    const text = noticeText(notice);
    return text ? renderShellNotice(text).trimEnd() : `(${notice.kind})`;
  });
}

/**
 * Tried as a new user would (issue 19, "done when"): a real Alertmanager posts to the bot with its
 * Bearer credentials and send_resolved, and the bot runs on real time with a demo's schedule in
 * seconds, its nags woken by node-schedule.
 */
describe.each(backends)('a real Prometheus Alertmanager posting to firebell on $name', (backend) => {
  let target: TestDatabase;
  let firebell: Firebell;
  let alertmanager: Alertmanager;
  const chat = new RecordingAdapter('test');

  beforeAll(async () => {
    target = await backend.create();
    const port = await freePort();
    const parsed = loadConfig({
      ...target.settings,
      HTTP_PORT: String(port),
      WEBHOOK_TOKEN: TOKEN,
      NAG_SCHEDULE: '2s,3s',
      NAG_HABITUAL: '2/1h',
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    firebell = await startFirebell(parsed.config, { clock: systemClock, log: silentLog, httpHost: '127.0.0.1', adapters: () => [chat] });
    alertmanager = await Alertmanager.start({ webhookUrl: `http://127.0.0.1:${port}/hooks/alertmanager`, bearerToken: TOKEN });
  });
  afterAll(async () => {
    await alertmanager?.stop();
    await firebell?.stop();
    await target?.drop();
  });

  test('a firing alert is nagged on schedule; resolved, it says how long it was ignored; firing again, it is habitually ignored', async () => {
    const firstStart = new Date().toISOString();
    await alertmanager.postAlerts([{ labels: LABELS, annotations: ANNOTATIONS, startsAt: firstStart }]);
    await chat.waitFor(() => chat.kinds().filter((k) => k === 'warning_nag').length >= 2);
    expect(said(chat)).toEqual([
      '⏰ W-1 still unacked, nag 1 (fired once): ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
      '⏰ W-1 still unacked, nag 2 (fired once): ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
    ]);

    await alertmanager.postAlerts([{ labels: LABELS, annotations: ANNOTATIONS, startsAt: firstStart, endsAt: new Date().toISOString() }]);
    await chat.waitFor(() => chat.kinds().includes('warning_resolved'));
    const resolved = said(chat).find((l) => l.startsWith('✅'));
    expect(resolved).toMatch(/^✅ W-1 resolved after \d+s, nagged (2|3) times, never acked: ReplicationLag: replica db-2 is 40 s behind$/);
    const nagsBeforeResolve = chat.kinds().filter((k) => k === 'warning_nag').length;

    chat.told.length = 0;
    await alertmanager.postAlerts([{ labels: LABELS, annotations: ANNOTATIONS, startsAt: new Date().toISOString() }]);
    await chat.waitFor(() => chat.kinds().includes('warning_nag'));
    expect(said(chat)[0]).toBe(
      '🔥 W-1 is habitually ignored (fired 2 times, never acked in time), nag 1: ReplicationLag: replica db-2 is 40 s behind · ack W-1 or snooze W-1 <duration> (dana)',
    );
    expect(nagsBeforeResolve).toBeGreaterThanOrEqual(2);

    const ack = await firebell.router.dispatch({
      verb: 'ack',
      text: 'W-1 replica rebuilding',
      actor: { platform: 'test', id: 'lee', name: 'lee' },
      channel: { platform: 'test', id: 'ops' },
      eventId: 'ack-1',
      receivedAt: new Date(),
    });
    expect(renderShellReply(ack).trimEnd()).toBe('W-1 acked by lee; no more nags about it (replica rebuilding)');
  });
});
