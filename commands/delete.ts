import { z } from 'zod';
import { entryId } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { deleteEntry } from '../src/core/timeline.ts';

export default defineVerb({
  name: 'delete',
  usage: 'delete <entry>',
  help: 'Take an entry off the timeline. It is kept, and listed among the postmortem\'s corrections. A status update leaves the status table with it.',
  scope: 'global',
  writes: true,
  words: ['entry'],
  args: z.object({ entry: entryId }),
  async run({ entry }, ctx) {
    const r = await deleteEntry(ctx, entry);
    if (!r.ok) return reply.error(r.error.message);
    const ref = incidentRef(r.value.entry.incidentId);
    const stateNow = r.value.stateNow ? `; ${ref} is ${r.value.stateNow} again` : '';
    return reply.ok(['Entry ', strong(`#${entry}`), ` of ${ref} deleted (it was: ${r.value.entry.text})${stateNow}`]);
  },
});
