import { z } from 'zod';
import { freeText, person } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { addFollowup, parseDueDate } from '../src/core/followups.ts';
import { incidentRef } from '../src/core/model.ts';
import { resolvePerson } from '../src/core/people.ts';

export default defineVerb({
  name: 'followup',
  aliases: ['todo'],
  usage: 'followup <text> [--owner <user>] [--due <YYYY-MM-DD>]',
  help: 'Add an action item for the postmortem.',
  scope: 'incident',
  writes: true,
  rest: 'text',
  flags: { owner: 'word', due: 'word' },
  args: z.object({
    text: freeText('text'),
    owner: person('owner').optional(),
    due: z
      .string()
      .transform((v, ctx) => {
        const d = parseDueDate(v);
        if (d.ok) return d.value;
        ctx.issues.push({ code: 'custom', message: d.error.message, input: v });
        return z.NEVER;
      })
      .optional(),
  }),
  async run({ text, owner, due }, ctx) {
    const r = await addFollowup(ctx, ctx.incident, text, owner ? resolvePerson(owner, ctx.source.platform) : null, due ?? null);
    if (!r.ok) return reply.error(r.error.message);
    const details = [r.value.owner ? `owner ${r.value.owner}` : 'no owner yet', due ? `due ${due}` : null].filter(Boolean).join(', ');
    return reply.ok(['Follow-up ', strong(`F-${r.value.id}`), ` added to ${incidentRef(ctx.incident.id)} (${details})`]);
  },
});
