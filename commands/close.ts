import { z } from 'zod';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { formatDuration } from '../src/core/duration.ts';
import { closeIncident } from '../src/core/incidents.ts';
import { incidentRef } from '../src/core/model.ts';

export default defineVerb({
  name: 'close',
  usage: 'close',
  help: 'Close the incident and export its postmortem draft.',
  scope: 'incident',
  writes: true,
  args: z.object({}),
  async run(_args, ctx) {
    const r = await closeIncident(ctx, ctx.incident);
    if (!r.ok) return reply.error(r.error.message);
    const incident = r.value;
    ctx.notify({ kind: 'postmortem_ready', incidentId: incident.id, filename: `${incidentRef(incident.id)}.md`, url: ctx.postmortems.url(incident.id) });
    const end = incident.resolvedAt ?? ctx.now;
    const lines = [
      [strong(incidentRef(incident.id)), ` closed after ${formatDuration(end.getTime() - incident.startedAt.getTime())}.`],
      [`Postmortem draft: ${ctx.postmortems.url(incident.id) ?? ctx.postmortems.path(incident.id)}`],
    ];
    if (!incident.resolvedAt) lines.splice(1, 0, ['It was never marked resolved, so the draft counts until now.']);
    return reply.ok(...lines);
  },
});
