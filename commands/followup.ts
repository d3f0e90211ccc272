import { z } from 'zod';
import { echoWord, freeText, person } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { addFollowup, followupRef, markFollowupDone, parseDueDate, parseFollowupRef } from '../src/core/followups.ts';
import { incidentRef } from '../src/core/model.ts';
import { resolvePerson } from '../src/core/people.ts';

type FollowupCommand = { kind: 'add'; text: string } | { kind: 'done'; id: number };

const DONE_USAGE = 'followup done <F-n>';

/**
 * `done F-2` marks an action item done; any other text adds one, so an item may still begin with
 * the word "done" ("done-state alerts for the queue") as long as an F-number does not follow it.
 */
const followupCommand = freeText('text').transform((text, ctx): FollowupCommand => {
  const words = text.split(/\s+/);
  if (words[0]!.toLowerCase() !== 'done') return { kind: 'add', text };
  const [, ref, ...more] = words;
  if (ref === undefined) {
    ctx.issues.push({ code: 'custom', message: `which follow-up? ${DONE_USAGE}, e.g. followup done F-2`, input: text });
    return z.NEVER;
  }
  const id = parseFollowupRef(ref);
  const meantAsRef = /^(?:f-?|#)\d/i.test(ref) || (id !== null && more.length === 0);
  if (!meantAsRef) return { kind: 'add', text };
  if (id === null || more.length > 0) {
    const problem = id === null ? `bad follow-up "${echoWord(ref)}": use the F-number it was added as, e.g. F-2` : `one follow-up at a time; usage: ${DONE_USAGE}`;
    ctx.issues.push({ code: 'custom', message: problem, input: text });
    return z.NEVER;
  }
  return { kind: 'done', id };
});

export default defineVerb({
  name: 'followup',
  aliases: ['todo'],
  usage: 'followup <text> [--owner <user>] [--due <YYYY-MM-DD>]',
  help: 'Add an action item for the postmortem; `followup done F-n` marks one done.',
  scope: 'incident',
  writes: true,
  rest: 'text',
  flags: { owner: 'word', due: 'word' },
  args: z.object({
    text: followupCommand,
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
  async run({ text: command, owner, due }, ctx) {
    if (command.kind === 'done') {
      if (owner || due) return reply.error(`--owner and --due are for a new follow-up; usage: ${DONE_USAGE}`);
      const r = await markFollowupDone(ctx, ctx.incident, command.id);
      if (!r.ok) return reply.error(r.error.message);
      return reply.ok(['Follow-up ', strong(followupRef(r.value.id)), ` of ${incidentRef(ctx.incident.id)} is done: ${r.value.text}`]);
    }
    const r = await addFollowup(ctx, ctx.incident, command.text, owner ? resolvePerson(owner, ctx.source.platform) : null, due ?? null);
    if (!r.ok) return reply.error(r.error.message);
    const details = [r.value.owner ? `owner ${r.value.owner}` : 'no owner yet', due ? `due ${due}` : null].filter(Boolean).join(', ');
    return reply.ok(['Follow-up ', strong(followupRef(r.value.id)), ` added to ${incidentRef(ctx.incident.id)} (${details})`]);
  },
});
