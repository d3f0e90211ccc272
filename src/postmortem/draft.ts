import { zoneOf } from '../core/incident-time.ts';
import { incidentRef, type TimelineEntry } from '../core/model.ts';
import type { IncidentRecord } from '../core/record.ts';
import {
  fieldsOfWallClockMillis,
  formatLocalDate,
  formatOffset,
  instantsOfLocal,
  offsetMillisAt,
  offsetMinutesAt,
  toLocal,
  wallClockMillis,
  type Zone,
} from '../core/zone.ts';

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
  /**
   * Everyone who wrote on the timeline, counted by who they are (their platform id), not by the
   * name they showed: a renamed person is one participant, two people called dana are two.
   */
  participants: Participant[];
  record: IncidentRecord;
  /**
   * The offset (`+01:00`) to show beside a local time on a day when the zone's offset changes, else
   * null: in a fall-back night 02:45, 02:10, 02:30 would otherwise look out of order.
   */
  offsetShownAt(at: Date): string | null;
}

export interface Participant {
  id: string;
  /** The name they wrote under last. */
  name: string;
  entries: number;
}

/** Live entries counted per author id, most entries first (ties: who appears first on the timeline). */
function participantsOf(entries: readonly TimelineEntry[]): Participant[] {
  const byId = new Map<string, Participant & { lastRecordedAt: number }>();
  for (const e of entries) {
    if (e.deletedAt) continue;
    const recordedAt = e.recordedAt.getTime();
    const p = byId.get(e.authorId);
    if (!p) {
      byId.set(e.authorId, { id: e.authorId, name: e.author, entries: 1, lastRecordedAt: recordedAt });
      continue;
    }
    p.entries++;
    if (recordedAt >= p.lastRecordedAt) {
      p.name = e.author;
      p.lastRecordedAt = recordedAt;
    }
  }
  return [...byId.values()].map(({ lastRecordedAt: _, ...p }) => p).sort((a, b) => b.entries - a.entries);
}

export function draftPostmortem(record: IncidentRecord): PostmortemDraft {
  const { incident } = record;
  const zone = zoneOf(incident);
  const endedAt = incident.resolvedAt ?? incident.closedAt;
  const edited = new Set(record.revisions.filter((r) => r.action === 'edit').map((r) => r.entryId));
  // One check per local day, not per time shown: each asks Intl a handful of times.
  const switchDays = new Map<string, boolean>();
  const offsetShownAt = (at: Date) => {
    const date = formatLocalDate(at, zone);
    if (!switchDays.has(date)) switchDays.set(date, offsetChangesOnDayOf(at, zone));
    return switchDays.get(date) ? formatOffset(offsetMinutesAt(zone, at)) : null;
  };
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
    participants: participantsOf(record.entries),
    record,
    offsetShownAt,
  };
}

const DAY_MS = 86_400_000;

/**
 * The first instant of the local day starting at this wall-clock midnight: the (first) midnight, or,
 * where a switch skipped midnight (Havana), the switch, when the offset of the day before ended.
 */
function startOfLocalDay(midnightWallMs: number, zone: Zone): number {
  const [midnight] = instantsOfLocal(fieldsOfWallClockMillis(midnightWallMs), zone);
  return midnight ? midnight.getTime() : midnightWallMs - offsetMillisAt(zone, midnightWallMs - DAY_MS);
}

/** Whether the zone's offset changes during the local day of that instant: a DST switch, or a change of standard time. */
export function offsetChangesOnDayOf(at: Date, zone: Zone): boolean {
  if (zone.fixedOffsetMinutes !== null) return false;
  const midnightWallMs = wallClockMillis({ ...toLocal(at, zone), hour: 0, minute: 0, second: 0 });
  const lastOfDayBefore = startOfLocalDay(midnightWallMs, zone) - 1;
  const lastOfDay = startOfLocalDay(midnightWallMs + DAY_MS, zone) - 1;
  return offsetMillisAt(zone, lastOfDayBefore) !== offsetMillisAt(zone, lastOfDay);
}

/** `2026-03-01 (Sunday)`: a day heading says the weekday, which is how people remember nights. */
export function dayHeading(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `${date} (${weekday})`;
}
