import { z } from 'zod';
import { severity } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { changeSeverity } from '../src/core/incidents.ts';
import { incidentRef } from '../src/core/model.ts';

export default defineVerb({
  name: 'sev',
  usage: 'sev <1-4>',
  help: 'Change the severity (1 is the most severe); the timeline records it.',
  scope: 'incident',
  writes: true,
  words: ['level'],
  args: z.object({ level: severity }),
  async run({ level }, ctx) {
    const r = await changeSeverity(ctx, ctx.incident, level);
    if (!r.ok) return reply.error(r.error.message);
    // Its status cadence changed: the scheduler plans the commander's next reminder again.
    ctx.nagDue(ctx.now);
    return reply.ok([`${incidentRef(ctx.incident.id)} is now `, strong(`SEV${level}`)]);
  },
});
