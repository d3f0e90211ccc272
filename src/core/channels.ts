import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { incidentRef } from './model.ts';

/**
 * The channel the command came from is now the incident's channel on that platform; `anchor` is a
 * message there the platform keeps up to date (Slack's pinned summary).
 */
export async function linkChannel(ctx: CoreContext, incidentId: number, anchor: string | null = null): Promise<Result<void>> {
  const incident = await ctx.store.incidents.get(incidentId);
  if (!incident) return fail('unknown_incident', `${incidentRef(incidentId)} does not exist`);
  await ctx.store.channels.link({ platform: ctx.source.platform, channelId: ctx.source.channelId, incidentId, anchor }, ctx.now);
  return ok(undefined);
}
