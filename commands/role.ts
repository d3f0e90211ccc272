import { z } from 'zod';
import { oneOf, person } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { assignRole } from '../src/core/incidents.ts';
import { ROLES, incidentRef } from '../src/core/model.ts';
import { resolvePerson } from '../src/core/people.ts';

export default defineVerb({
  name: 'role',
  usage: 'role <commander|comms|scribe> <user>',
  help: 'Assign a role (`lead` means commander); the timeline records it.',
  scope: 'incident',
  writes: true,
  words: ['role', 'user'],
  args: z.object({
    role: oneOf('role', ROLES, { lead: 'commander', ic: 'commander' }),
    user: person('user'),
  }),
  async run({ role, user }, ctx) {
    const holder = resolvePerson(user, ctx.source.platform);
    const r = await assignRole(ctx, ctx.incident, role, holder);
    if (!r.ok) return reply.error(r.error.message);
    return reply.ok([strong(holder.name), ` is ${role} of ${incidentRef(ctx.incident.id)}`]);
  },
});
