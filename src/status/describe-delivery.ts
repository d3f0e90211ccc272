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

/** What one delivery came to, as shown beside its update: `statuspage ✓`, `cachet ✗ retrying`, and for a dead one the command that tries it again. */
export interface DeliveryOutcome {
  text: string;
  retryCommand: string | null;
}

/** Where one update went, target by target in name order: `statuspage ✓ · cachet ✗ retrying`. */
export function deliveryOutcomes(deliveries: readonly Pick<StatusDelivery, 'id' | 'target' | 'state' | 'attempts' | 'lastError'>[]): DeliveryOutcome[] {
  return [...deliveries]
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
    .map((d) => {
      if (d.state === 'delivered') return { text: `${d.target} ✓`, retryCommand: null };
      if (d.state === 'dead') return { text: `${d.target} ✗ dead`, retryCommand: `deliveries retry ${d.id}` };
      if (d.lastError === null) return { text: `${d.target} … ${d.attempts === 0 ? 'waiting' : 'sending'}`, retryCommand: null };
      return { text: `${d.target} ✗ retrying`, retryCommand: null };
    });
}
