import type { TimelineEntry } from '../core/model.ts';
import type { IncidentRecord, IncidentRecordHead, IncidentRecordPages } from '../core/record.ts';
import { gatherTimelineFacts, type TimelineFacts } from './draft.ts';

/**
 * A draft format: what comes before the timeline (it needs the facts gathered from the whole
 * timeline), each entry, and what comes after. Writing the timeline as it is read is what lets an
 * export of 100,000 entries stream.
 */
export interface DraftFormat {
  before(facts: TimelineFacts): string;
  entry(entry: TimelineEntry): string;
  after(facts: TimelineFacts): string;
}

export type DraftFormatOf = (head: IncidentRecordHead, generatedAt: Date) => DraftFormat;

/** The whole draft as one string, from a record in memory. */
export function renderDraft(record: IncidentRecord, formatOf: DraftFormatOf, generatedAt: Date): string {
  const { entries, ...head } = record;
  const gather = gatherTimelineFacts(head);
  for (const e of entries) gather.add(e);
  const facts = gather.facts();
  const format = formatOf(head, generatedAt);
  const out = [format.before(facts)];
  for (const e of entries) out.push(format.entry(e));
  out.push(format.after(facts));
  return out.join('');
}

/**
 * The draft in pieces, reading the timeline twice a page at a time: memory stays that of one page
 * and the small sections, whatever the number of entries.
 */
export async function* streamDraft(pages: IncidentRecordPages, formatOf: DraftFormatOf, generatedAt: Date): AsyncGenerator<string> {
  const gather = gatherTimelineFacts(pages.head);
  for await (const page of pages.entryPages()) for (const e of page) gather.add(e);
  const facts = gather.facts();
  const format = formatOf(pages.head, generatedAt);
  yield format.before(facts);
  for await (const page of pages.entryPages()) {
    let chunk = '';
    for (const e of page) chunk += format.entry(e);
    if (chunk) yield chunk;
  }
  yield format.after(facts);
}
