import { z } from 'zod';
import { entryId, freeText } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { editEntry } from '../src/core/timeline.ts';

export default defineVerb({
  name: 'edit',
  usage: 'edit <entry> <new text>',
  help: 'Correct a timeline entry. The original text and who changed it stay on record. For a status update, the new text is its public message.',
  scope: 'global',
  writes: true,
  words: ['entry'],
  rest: 'text',
  args: z.object({ entry: entryId, text: freeText('new text') }),
  async run({ entry, text }, ctx) {
    const r = await editEntry(ctx, entry, text);
    if (!r.ok) return reply.error(r.error.message);
    return reply.ok(['Entry ', strong(`#${entry}`), ` of ${incidentRef(r.value.incidentId)} now reads: ${r.value.text}`]);
  },
});
