import { z } from 'zod';
import { timedText } from '../src/chat/arguments.ts';
import { formatInstant } from '../src/chat/describe.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { zoneOf } from '../src/core/incident-time.ts';
import { DEFAULT_RESOLVED_MESSAGE, resolveIncident } from '../src/core/incidents.ts';
import { incidentRef } from '../src/core/model.ts';
import { stuckAt } from '../src/core/nag-policy.ts';

export default defineVerb({
  name: 'resolve',
  usage: 'resolve [<time>] [<public message>]',
  help: `Mark the incident resolved (a public status update), backdated if a time is given. The message defaults to "${DEFAULT_RESOLVED_MESSAGE}"`,
  scope: 'incident',
  writes: true,
  rest: 'update',
  args: z.object({
    update: timedText('public message', { textRequired: false }).default({ when: null, text: '' }),
  }),
  async run({ update }, ctx) {
    const r = await resolveIncident(ctx, ctx.incident, update.when, update.text);
    if (!r.ok) return reply.error(r.error.message);
    // Its deliveries nag the ops channel if still pending then.
    ctx.nagDue(stuckAt(ctx.now));
    const at = r.value.resolvedAt ?? ctx.now;
    return reply.ok([
      strong(incidentRef(ctx.incident.id)),
      ` resolved at ${formatInstant(at, zoneOf(ctx.incident), update.when)}. \`close\` it when the follow-ups are in, to export the postmortem draft.`,
    ]);
  },
});
