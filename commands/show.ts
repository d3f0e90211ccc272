import { z } from 'zod';
import { count, incidentState, startedLine } from '../src/chat/describe.ts';
import { code, reply, strong, type LinePart } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { zoneOf } from '../src/core/incident-time.ts';
import type { StatusDelivery } from '../src/core/record.ts';
import { formatLocalDateTime } from '../src/core/zone.ts';
import { deliveryOutcomes } from '../src/status/describe-delivery.ts';

const RECENT_ENTRIES = 5;

/** `statuspage ✓ · cachet ✗ dead (deliveries retry 7)`: the retry command as code, so it reads as one to type. */
function deliveryParts(deliveries: readonly StatusDelivery[]): LinePart[] {
  return deliveryOutcomes(deliveries).flatMap((o, i) => [i > 0 ? ' · ' : '', o.text, ...(o.retryCommand ? [' (', code(o.retryCommand), ')'] : [])]);
}

export default defineVerb({
  name: 'show',
  usage: 'show [INC-n]',
  help: 'Summarise an incident: its state, roles, latest status and its latest timeline entries, each status update with where it was delivered.',
  scope: 'incident',
  writes: false,
  args: z.object({}),
  async run(_args, ctx) {
    // The record without its timeline, which may be 100,000 entries: only the last few are shown.
    const opened = await ctx.openRecord(ctx.incident.id);
    if (!opened) return reply.error('that incident does not exist');
    const record = opened.head;
    const { incident } = record;
    const zone = zoneOf(incident);
    const live = await ctx.store.timeline.latestLive(incident.id, RECENT_ENTRIES);
    const deliveries = record.deliveries ?? [];
    const lines: LinePart[][] = [
      [strong(incidentState(incident, ctx.now)), ` ${incident.title}`],
      [`${startedLine(incident)} · ${count(live.count, 'timeline entry', 'timeline entries')} · ${count(record.followups.length, 'follow-up')}`],
    ];
    if (record.roles.length > 0) lines.push([record.roles.map((r) => `${r.role}: ${r.holder}`).join(' · ')]);
    const status = record.statusUpdates.at(-1);
    if (status) {
      lines.push([`Last public update (${status.state}, ${formatLocalDateTime(status.postedAt, zone)}): ${status.message}`]);
      const sent = deliveries.filter((d) => d.statusUpdateId === status.id);
      if (sent.length > 0) lines.push(['Status pages: ', ...deliveryParts(sent)]);
    }
    for (const e of live.entries) {
      // A status entry carries what became of its update on each external status page.
      const sent = e.kind === 'status' ? deliveries.filter((d) => d.statusEntryId === e.id) : [];
      lines.push([strong(`#${e.id}`), ` ${formatLocalDateTime(e.occurredAt, zone)} ${e.kind} · ${e.author}: ${e.text}`, ...(sent.length > 0 ? [' → ', ...deliveryParts(sent)] : [])]);
    }
    return reply.ok(...lines);
  },
});
