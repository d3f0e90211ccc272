import { incidentRef } from '../core/model.ts';
import type { StatusDelivery } from '../store/store.ts';

function utc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One delivery as `deliveries` (in chat and on the command line) shows it, after its `#id`. */
export function describeDelivery(d: StatusDelivery): string {
  const what = `${d.target} · ${incidentRef(d.incidentId)} ${d.updateState}`;
  const error = d.lastError ? ` · last error: ${d.lastError.slice(0, 200)}` : '';
  if (d.state === 'dead') return `${what} · dead after ${d.attempts} attempts${error}`;
  const tried = d.attempts === 0 ? 'not tried yet' : `${d.attempts} attempts so far, next at ${utc(d.dueAt)}`;
  return `${what} · pending, ${tried}${error}`;
}

export const ALL_DELIVERED = 'Every status update has been delivered.';

/** Most deliveries `firebell deliveries` prints. */
export const CLI_DELIVERIES_SHOWN = 500;

/** The plain lines `firebell deliveries` prints. */
export function deliveryLines(deliveries: readonly StatusDelivery[]): string[] {
  return deliveries.length === 0 ? [ALL_DELIVERED] : deliveries.map((d) => `#${d.id} ${describeDelivery(d)}`);
}
