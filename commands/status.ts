import { z } from 'zod';
import { freeText, oneOf } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { postStatus } from '../src/core/incidents.ts';
import { STATUS_STATES, incidentRef } from '../src/core/model.ts';
import { stuckAt } from '../src/core/nag-policy.ts';

export default defineVerb({
  name: 'status',
  usage: 'status <investigating|identified|monitoring|resolved> <public message>',
  help: 'Post a public status update; it is stored and recorded on the timeline.',
  scope: 'incident',
  writes: true,
  words: ['state'],
  rest: 'message',
  args: z.object({ state: oneOf('status', STATUS_STATES), message: freeText('public message') }),
  async run({ state, message }, ctx) {
    const r = await postStatus(ctx, ctx.incident, state, message);
    if (!r.ok) return reply.error(r.error.message);
    // Its deliveries nag the ops channel if still pending then.
    ctx.nagDue(stuckAt(ctx.now));
    return reply.ok([`${incidentRef(ctx.incident.id)} status is now `, strong(state), `: ${message}`]);
  },
});
