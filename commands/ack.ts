import { z } from 'zod';
import { freeText, warningId } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { warningRef } from '../src/core/warning-model.ts';
import { ackWarning } from '../src/core/warnings.ts';

export default defineVerb({
  name: 'ack',
  usage: 'ack <W-n> [note]',
  help: 'Acknowledge a warning: its nags stop until it resolves and fires again.',
  scope: 'global',
  writes: true,
  words: ['warning'],
  rest: 'note',
  args: z.object({ warning: warningId, note: freeText('note').optional() }),
  async run({ warning, note }, ctx) {
    const r = await ackWarning(ctx, warning, note ?? null);
    if (!r.ok) return reply.error(r.error.message);
    return reply.ok([strong(warningRef(warning)), ` acked by ${ctx.actor.name}; no more nags about it`, note ? ` (${note})` : '']);
  },
});
