import type { CoreContext } from './context.ts';
import type { Incident } from './model.ts';
import type { IncidentChange } from './notices.ts';

/** Tells the chat platforms that an incident changed, so topics and pinned summaries follow. */
export async function notifyIncidentUpdated(ctx: CoreContext, incident: Incident, change: IncidentChange): Promise<void> {
  const commander = (await ctx.store.roles.list(incident.id)).find((r) => r.role === 'commander');
  ctx.notify({ kind: 'incident_updated', incident, change, commander: commander ? { name: commander.holder, id: commander.holderId } : null });
}
