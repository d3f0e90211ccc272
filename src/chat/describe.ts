import { formatDuration } from '../core/duration.ts';
import { zoneOf } from '../core/incident-time.ts';
import { incidentRef, type Incident } from '../core/model.ts';
import type { When } from '../core/when.ts';
import { formatDateFields, formatOffset, formatTimeFields, offsetMinutesAt, toLocal, type Zone } from '../core/zone.ts';

/** A fixed zone whose name already says its offset: `UTC`, `UTC+05:30`. */
function nameShowsOffset(zone: Zone): boolean {
  return zone.fixedOffsetMinutes !== null && (zone.name === 'UTC' || /^UTC[+-]/.test(zone.name));
}

/**
 * An instant as a responder reads it, in the incident's zone, with the offset used:
 * `2026-03-01 23:40 Europe/Berlin (+01:00)` (so an hour that occurs twice on a DST change is never
 * ambiguous), `2026-03-01 16:10 MST (UTC-07:00)` (an abbreviation says which offset it meant),
 * `2026-03-01 23:40 UTC`. A time typed in another zone is shown as typed too, with the offset that
 * zone meant: `2026-03-01 20:05 UTC (14:05 CST, UTC-06:00)`.
 */
export function formatInstant(at: Date, zone: Zone, typed: When | null = null): string {
  const local = toLocal(at, zone);
  const notes: string[] = [];
  if (zone.fixedOffsetMinutes === null) notes.push(formatOffset(offsetMinutesAt(zone, at)));
  else if (!nameShowsOffset(zone)) notes.push(`UTC${formatOffset(zone.fixedOffsetMinutes)}`);
  const typedZone = typed && typed.kind !== 'instant' ? typed.zone : null;
  if (typedZone && typedZone.name !== zone.name) {
    const there = toLocal(at, typedZone);
    const sameDay = formatDateFields(there) === formatDateFields(local);
    const shown = sameDay ? formatTimeFields(there) : `${formatDateFields(there)} ${formatTimeFields(there)}`;
    const offset = nameShowsOffset(typedZone) ? '' : `, UTC${formatOffset(offsetMinutesAt(typedZone, at))}`;
    notes.push(`${shown} ${typedZone.name}${offset}`);
  }
  const instant = `${formatDateFields(local)} ${formatTimeFields(local)} ${zone.name}`;
  return notes.length > 0 ? `${instant} (${notes.join('; ')})` : instant;
}

/** `INC-3 · SEV2 · monitoring · open 1h 05m`: the one-line state of an incident. */
export function incidentState(incident: Incident, now: Date): string {
  const parts = [incidentRef(incident.id), `SEV${incident.severity}`, incident.state];
  if (incident.closedAt) parts.push(`closed after ${formatDuration(incident.closedAt.getTime() - incident.startedAt.getTime())}`);
  else parts.push(`open ${formatDuration(now.getTime() - incident.startedAt.getTime())}`);
  return parts.join(' · ');
}

/** `typed`: the --at time as given, when the reply answers the command that gave it. */
export function startedLine(incident: Incident, typed: When | null = null): string {
  return `started ${formatInstant(incident.startedAt, zoneOf(incident), typed)}`;
}

/** `1 follow-up`, `3 follow-ups`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
