import { incidentRef } from '../core/model.ts';
import type { IncidentRecord } from '../core/record.ts';
import { renderPostmortemJson } from './json.ts';
import { renderPostmortem } from './markdown.ts';

export const POSTMORTEM_FORMATS = ['md', 'json'] as const;
export type PostmortemFormat = (typeof POSTMORTEM_FORMATS)[number];

export interface PostmortemFile {
  filename: string;
  mediaType: string;
  content: string;
}

export function exportPostmortem(record: IncidentRecord, format: PostmortemFormat, generatedAt: Date): PostmortemFile {
  const name = incidentRef(record.incident.id);
  return format === 'json'
    ? { filename: `${name}.json`, mediaType: 'application/json', content: renderPostmortemJson(record, generatedAt) + '\n' }
    : { filename: `${name}.md`, mediaType: 'text/markdown; charset=utf-8', content: renderPostmortem(record, generatedAt) };
}
