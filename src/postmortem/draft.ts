import { zoneOf } from '../core/incident-time.ts';
import { incidentRef, type TimelineEntry } from '../core/model.ts';
import type { IncidentRecord } from '../core/record.ts';
import { formatLocalDate, type Zone } from '../core/zone.ts';

/**
 * The postmortem draft as data: what both the Markdown and the JSON export are rendered from.
 * Instants are kept as Dates; local strings are in the incident's zone.
 */
export interface PostmortemDraft {
  ref: string;
  title: string;
  severity: number;
  state: string;
  zone: Zone;
  startedAt: Date;
  /** Resolved, else closed; null while it is still going on. */
  endedAt: Date | null;
  durationMs: number | null;
  days: { date: string; entries: (TimelineEntry & { edited: boolean })[] }[];
  record: IncidentRecord;
}

export function draftPostmortem(record: IncidentRecord): PostmortemDraft {
  const { incident } = record;
  const zone = zoneOf(incident);
  const endedAt = incident.resolvedAt ?? incident.closedAt;
  const edited = new Set(record.revisions.filter((r) => r.action === 'edit').map((r) => r.entryId));
  const days: PostmortemDraft['days'] = [];
  for (const entry of record.entries) {
    if (entry.deletedAt) continue;
    const date = formatLocalDate(entry.occurredAt, zone);
    let day = days.at(-1);
    if (!day || day.date !== date) {
      day = { date, entries: [] };
      days.push(day);
    }
    day.entries.push({ ...entry, edited: edited.has(entry.id) });
  }
  return {
    ref: incidentRef(incident.id),
    title: incident.title,
    severity: incident.severity,
    state: incident.closedAt ? 'closed' : incident.state,
    zone,
    startedAt: incident.startedAt,
    endedAt,
    durationMs: endedAt ? endedAt.getTime() - incident.startedAt.getTime() : null,
    days,
    record,
  };
}

/** `2026-03-01 (Sunday)`: a day heading says the weekday, which is how people remember nights. */
export function dayHeading(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `${date} (${weekday})`;
}
