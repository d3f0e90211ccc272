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

/** Where one update went, target by target: `statuspage ✓ · cachet ✗ retrying`. */
export function deliverySummary(deliveries: readonly StatusDelivery[]): string {
  return [...deliveries]
    .sort((a, b) => a.target.localeCompare(b.target))
    .map((d) => {
      if (d.state === 'delivered') return `${d.target} ✓`;
      if (d.state === 'dead') return `${d.target} ✗ dead (\`deliveries retry ${d.id}\`)`;
      if (d.lastError === null) return `${d.target} … ${d.attempts === 0 ? 'waiting' : 'sending'}`;
      return `${d.target} ✗ retrying`;
    })
    .join(' · ');
}
