import type { StatusDelivery } from '../store/store.ts';
import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';

/** What `deliveries` lists at most: a long outage of one target is summed up, not pasted. */
export const DELIVERIES_SHOWN = 20;

/** Status deliveries still on their way, and those set aside as dead, oldest first. */
export async function unsettledDeliveries(ctx: CoreContext): Promise<StatusDelivery[]> {
  return ctx.store.statusDeliveries.list(['pending', 'dead'], DELIVERIES_SHOWN + 1);
}

/** Puts a dead delivery back in the queue, due now, with its attempts counted afresh. */
export async function retryDelivery(ctx: CoreContext, id: number): Promise<Result<StatusDelivery>> {
  const again = await ctx.store.statusDeliveries.retry(id, ctx.now);
  return again ? ok(again) : fail('unknown_delivery', `no dead delivery #${id}: \`deliveries\` lists them`);
}
