import { incidentRef } from '../core/model.ts';
import type { IncidentRecord, IncidentRecordPages } from '../core/record.ts';
import { jsonDraft } from './json.ts';
import { markdownDraft } from './markdown.ts';
import { renderDraft, streamDraft, type DraftFormatOf } from './render.ts';

export const POSTMORTEM_FORMATS = ['md', 'json'] as const;
export type PostmortemFormat = (typeof POSTMORTEM_FORMATS)[number];

export interface PostmortemFile {
  filename: string;
  mediaType: string;
  content: string;
}

const FORMATS: Record<PostmortemFormat, { formatOf: DraftFormatOf; extension: string; mediaType: string }> = {
  md: { formatOf: markdownDraft, extension: 'md', mediaType: 'text/markdown; charset=utf-8' },
  json: { formatOf: jsonDraft, extension: 'json', mediaType: 'application/json' },
};

export function postmortemMediaType(format: PostmortemFormat): string {
  return FORMATS[format].mediaType;
}

export function postmortemFilename(incidentId: number, format: PostmortemFormat): string {
  return `${incidentRef(incidentId)}.${FORMATS[format].extension}`;
}

export function exportPostmortem(record: IncidentRecord, format: PostmortemFormat, generatedAt: Date): PostmortemFile {
  const { formatOf, mediaType } = FORMATS[format];
  return { filename: postmortemFilename(record.incident.id, format), mediaType, content: renderDraft(record, formatOf, generatedAt) };
}

/** The same draft in pieces, the timeline read a page at a time: for exports too large to hold. */
export function streamPostmortem(pages: IncidentRecordPages, format: PostmortemFormat, generatedAt: Date): AsyncGenerator<string> {
  return streamDraft(pages, FORMATS[format].formatOf, generatedAt);
}

/**
 * The draft as a file to attach to a chat reply, or null once it grows past `maxBytes`: it is
 * rendered a page of the timeline at a time and never held whole beyond that size.
 */
export async function attachablePostmortem(pages: IncidentRecordPages, format: PostmortemFormat, generatedAt: Date, maxBytes: number): Promise<PostmortemFile | null> {
  const parts: string[] = [];
  let bytes = 0;
  // Leaving the loop early closes the stream: no page past the limit is read.
  for await (const chunk of streamPostmortem(pages, format, generatedAt)) {
    bytes += Buffer.byteLength(chunk);
    if (bytes > maxBytes) return null;
    parts.push(chunk);
  }
  return { filename: postmortemFilename(pages.head.incident.id, format), mediaType: FORMATS[format].mediaType, content: parts.join('') };
}
