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
