import { z } from 'zod';
import { formatInstant } from '../src/chat/describe.ts';
import { freeText, timedText } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import type { Reply } from '../src/chat/types.ts';
import { defineVerb, type IncidentVerbContext, type Verb } from '../src/chat/verb.ts';
import { zoneOf } from '../src/core/incident-time.ts';
import { incidentRef, type TypedEntryKind } from '../src/core/model.ts';
import { recordEntries } from '../src/core/timeline.ts';

const entryArgs = z.object({ entry: timedText('text') });
type EntryArgs = z.output<typeof entryArgs>;

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
    args: entryArgs,
    // A message put on the timeline as it was written (a pinned Slack message): no leading time is
    // read from it; it is recorded at its own time, which the invocation's attribution carries.
    payload: z.object({ text: freeText('text') }).transform(({ text }) => ({ entry: { when: null, text } })),
    async run(args, ctx) {
      const [answer] = await record([{ args, ctx }]);
      return answer!;
    },
    // A busy incident channel: the entries that queued up together are written in one statement.
    runMany: record,
  });

  async function record(items: readonly { args: EntryArgs; ctx: IncidentVerbContext }[]): Promise<Reply[]> {
    const recorded = await recordEntries(items.map(({ args, ctx }) => ({ ctx, incident: ctx.incident, kind, when: args.entry.when, text: args.entry.text })));
    return recorded.map((r, i) => {
      const { args, ctx } = items[i]!;
      if (!r.ok) return reply.error(r.error.message);
      const what = kind === 'note' ? 'Logged' : `Logged ${kind}`;
      return reply.ok([
        `${what} `,
        strong(`#${r.value.id}`),
        ` on ${incidentRef(ctx.incident.id)} at ${formatInstant(r.value.occurredAt, zoneOf(ctx.incident), args.entry.when)}`,
      ]);
    });
  }
}
