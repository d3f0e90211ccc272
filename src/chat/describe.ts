import { formatDuration } from '../core/duration.ts';
import { zoneOf } from '../core/incident-time.ts';
import { incidentRef, type Incident } from '../core/model.ts';
import { formatLocalDateTime, formatOffset, offsetMinutesAt, type Zone } from '../core/zone.ts';

/** `2026-03-01 23:40 Europe/Berlin (+01:00)`: an instant as a responder reads it, offset included
 * so that an hour that occurs twice on a DST change is never ambiguous. */
export function formatInstant(at: Date, zone: Zone): string {
  const local = formatLocalDateTime(at, zone);
  return zone.fixedOffsetMinutes === null
    ? `${local} ${zone.name} (${formatOffset(offsetMinutesAt(zone, at))})`
    : `${local} ${zone.name}`;
}

/** `INC-3 · SEV2 · monitoring · open 1h 05m`: the one-line state of an incident. */
export function incidentState(incident: Incident, now: Date): string {
  const parts = [incidentRef(incident.id), `SEV${incident.severity}`, incident.state];
  if (incident.closedAt) parts.push(`closed after ${formatDuration(incident.closedAt.getTime() - incident.startedAt.getTime())}`);
  else parts.push(`open ${formatDuration(now.getTime() - incident.startedAt.getTime())}`);
  return parts.join(' · ');
}

export function startedLine(incident: Incident): string {
  return `started ${formatInstant(incident.startedAt, zoneOf(incident))}`;
}

/** `1 follow-up`, `3 follow-ups`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
