import type { CoreContext } from './context.ts';
import type { Result } from './errors.ts';
import { incidentRef, type Incident } from './model.ts';
import { resolveWhen, type When } from './when.ts';
import { parseZone, type Zone } from './zone.ts';

/** The incident's own zone. A stored zone was parsed when the incident opened, so failing here is a fault. */
export function zoneOf(incident: Incident): Zone {
  const z = parseZone(incident.timeZone);
  if (!z.ok) throw new Error(`${incidentRef(incident.id)} has an unreadable time zone "${incident.timeZone}"`);
  return z.value;
}

/** A backdated time typed for this incident: in its zone, nearest its latest entry (or its start). */
export async function resolveIncidentTime(ctx: CoreContext, incident: Incident, when: When): Promise<Result<Date>> {
  const anchor = (await ctx.store.timeline.latestOccurredAt(incident.id)) ?? incident.startedAt;
  return resolveWhen(when, { zone: zoneOf(incident), anchor, now: ctx.now });
}
