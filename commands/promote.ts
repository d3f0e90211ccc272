import { z } from 'zod';
import { warningId } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { warningRef } from '../src/core/warning-model.ts';
import { promoteWarning } from '../src/core/warnings.ts';

export default defineVerb({
  name: 'promote',
  usage: 'promote <W-n>',
  help: "Open an incident from a warning; its timeline starts with the warning's history, and the warning counts as acked.",
  scope: 'global',
  writes: true,
  words: ['warning'],
  args: z.object({ warning: warningId }),
  async run({ warning }, ctx) {
    const r = await promoteWarning(ctx, warning);
    if (!r.ok) return reply.error(r.error.message);
    const { incident } = r.value;
    ctx.nagDue(ctx.now);
    return {
      ...reply.ok([strong(incidentRef(incident.id)), ` opened from ${warningRef(warning)}: ${incident.title} · SEV${incident.severity}`]),
      opened: incident.id,
    };
  },
});
