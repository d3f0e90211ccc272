import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { freePort } from '../http/raw-http.ts';

const TOKEN = 'test-webhook-token-0123456789';

/** One firing alert as Alertmanager's webhook (version 4) sends it. */
function firing(fingerprint: string, labels: Record<string, string>, startsAt: string, summary: string) {
  return {
    version: '4',
    groupKey: `{}:{alertname="${labels.alertname}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'firebell',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: [{ status: 'firing', labels, annotations: { summary }, startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus.example:9090/graph', fingerprint }],
  };
}

/** The lines of one `## ` section of a Markdown draft, up to the next one; null when it is left out. */
function section(draft: string, heading: string): string[] | null {
  const lines = draft.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

describe.each(backends)('warnings before an incident, from the record on $name', (backend) => {
  let bot: TestBot;
  let port: number;
  const alert = async (body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/hooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const draft = async (format: 'md' | 'json' = 'md') => {
    const r = await bot.sayReply(`postmortem INC-1 --format ${format}`);
    if (!r.attachment) throw new Error(`no draft: ${JSON.stringify(r.lines)}`);
    return r.attachment.content;
  };

  beforeAll(async () => {
    port = await freePort();
    bot = await startTestBot(backend, { env: { HTTP_PORT: String(port), WEBHOOK_TOKEN: TOKEN } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-10T10:30:00Z');
  });

  test('the promoted warning and one sharing its service are shown; one sharing only its severity, and one from weeks before, are not', async () => {
    await alert(firing('aa01', { alertname: 'Checkout5xx', service: 'checkout', severity: 'critical' }, '2026-03-10T10:00:00Z', 'checkout answers 5xx'));
    await alert(firing('bb02', { alertname: 'PoolSaturated', service: 'checkout', severity: 'warning' }, '2026-03-08T22:00:00Z', 'db pool at 100%'));
    await alert(firing('cc03', { alertname: 'DiskFull', service: 'batch', severity: 'critical' }, '2026-03-09T12:00:00Z', 'disk 91% full'));
    await alert(firing('dd04', { alertname: 'CheckoutLatency', service: 'checkout', severity: 'warning' }, '2026-02-20T08:00:00Z', 'p99 above 2s'));
    expect(await bot.say('promote W-1')).toBe('INC-1 opened from W-1: Checkout5xx: checkout answers 5xx · SEV2');

    expect(section(await draft(), 'Warnings before the incident')).toEqual([
      '| Warning | Linked by | First fired | Fired | Nags | Acknowledged |',
      '|---|---|---|---|---|---|',
      '| W-2: PoolSaturated: db pool at 100% | shares labels service=checkout | 2026-03-08 22:00 | 1× | 0 | never |',
      '| W-1: Checkout5xx: checkout answers 5xx | promoted into it | 2026-03-10 10:00 | 1× | 0 | dana, 2026-03-10 10:30 |',
      'Shown: warnings promoted into the incident, and warnings that share one of their labels (generic ones such as severity or team aside) and fired from 7 days before it started until it was resolved.',
      '_Prompt: were these warnings seen as noise? What would have made them act on?_',
    ]);
    const json = JSON.parse(await draft('json')) as { warnings: { name: string; linkedBy: string; sharedLabels: Record<string, string> | null }[] };
    expect(json.warnings.map((w) => [w.name, w.linkedBy, w.sharedLabels])).toEqual([
      ['W-2: PoolSaturated: db pool at 100%', 'labels', { service: 'checkout' }],
      ['W-1: Checkout5xx: checkout answers 5xx', 'promote', null],
    ]);
  });

  test('an incident started by hand, with warnings firing all around it, has no warnings section', async () => {
    await alert(firing('aa01', { alertname: 'Checkout5xx', service: 'checkout', severity: 'critical' }, '2026-03-10T10:00:00Z', 'checkout answers 5xx'));
    await bot.say('start Checkout down --sev 2');
    const md = await draft();
    expect(section(md, 'Warnings before the incident')).toBeNull();
    expect(section(md, 'Public communications')).not.toBeNull();
    expect((JSON.parse(await draft('json')) as { warnings: unknown[] }).warnings).toEqual([]);
  });
});
