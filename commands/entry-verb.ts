import { z } from 'zod';
import { formatInstant } from '../src/chat/describe.ts';
import { freeText, timedText } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb, type Verb } from '../src/chat/verb.ts';
import { zoneOf } from '../src/core/incident-time.ts';
import { incidentRef, type TypedEntryKind } from '../src/core/model.ts';
import { recordEntry } from '../src/core/timeline.ts';

/** `log`, `detected`, `action`…: verbs that differ only in the kind of entry they record. */
export function entryVerb(kind: TypedEntryKind, name: string, help: string, aliases: string[] = []): Verb {
  return defineVerb({
    name,
    aliases,
    usage: `${name} [<time>] <text>`,
    help: `${help} A leading time (14:05, 2026-03-01 23:40, or ISO 8601) backdates it.`,
    scope: 'incident',
    writes: true,
    rest: 'entry',
    args: z.object({ entry: timedText('text') }),
    // A message put on the timeline as it was written (a pinned Slack message): no leading time is
    // read from it; it is recorded at its own time, which the invocation's attribution carries.
    payload: z.object({ text: freeText('text') }).transform(({ text }) => ({ entry: { when: null, text } })),
    async run({ entry }, ctx) {
      const r = await recordEntry(ctx, ctx.incident, kind, entry.when, entry.text);
      if (!r.ok) return reply.error(r.error.message);
      const what = kind === 'note' ? 'Logged' : `Logged ${kind}`;
      return reply.ok([
        `${what} `,
        strong(`#${r.value.id}`),
        ` on ${incidentRef(ctx.incident.id)} at ${formatInstant(r.value.occurredAt, zoneOf(ctx.incident), entry.when)}`,
      ]);
    },
  });
}
