import { z } from 'zod';
import { count, incidentState, startedLine } from '../src/chat/describe.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { zoneOf } from '../src/core/incident-time.ts';
import { formatLocalDateTime } from '../src/core/zone.ts';
import { deliverySummary } from '../src/status/describe-delivery.ts';

const RECENT_ENTRIES = 5;

export default defineVerb({
  name: 'show',
  usage: 'show [INC-n]',
  help: 'Summarise an incident: its state, roles, latest status and its latest timeline entries.',
  scope: 'incident',
  writes: false,
  args: z.object({}),
  async run(_args, ctx) {
    const record = await ctx.loadRecord(ctx.incident.id);
    if (!record) return reply.error('that incident does not exist');
    const { incident } = record;
    const zone = zoneOf(incident);
    const live = record.entries.filter((e) => !e.deletedAt);
    const lines = [
      [strong(incidentState(incident, ctx.now)), ` ${incident.title}`],
      [`${startedLine(incident)} · ${count(live.length, 'timeline entry', 'timeline entries')} · ${count(record.followups.length, 'follow-up')}`],
    ];
    if (record.roles.length > 0) lines.push([record.roles.map((r) => `${r.role}: ${r.holder}`).join(' · ')]);
    const status = record.statusUpdates.at(-1);
    if (status) {
      lines.push([`Last public update (${status.state}, ${formatLocalDateTime(status.postedAt, zone)}): ${status.message}`]);
      const deliveries = (await ctx.store.statusDeliveries.forIncident(incident.id)).filter((d) => d.updateId === status.id);
      if (deliveries.length > 0) lines.push([`Status pages: ${deliverySummary(deliveries)}`]);
    }
    for (const e of live.slice(-RECENT_ENTRIES)) {
      lines.push([strong(`#${e.id}`), ` ${formatLocalDateTime(e.occurredAt, zone)} ${e.kind} · ${e.author}: ${e.text}`]);
    }
    return reply.ok(...lines);
  },
});
