import type { Incident, StatusUpdate } from '../core/model.ts';
import type { ExternalIncident } from '../store/store.ts';

/** One status update as a target sends it. */
export interface OutgoingUpdate {
  /** Stable across attempts: a receiver can recognise a repeat by it. */
  deliveryId: number;
  incident: Incident;
  update: StatusUpdate;
  /** The target's incident, made by an earlier delivery; null until one has been. */
  external: ExternalIncident | null;
  /** 1 on the first attempt: a later one may follow an attempt whose answer was lost. */
  attempt: number;
}

/** An external status page (DESIGN §4): Statuspage, Cachet, the signed webhook. */
export interface StatusTarget {
  readonly name: string;
  /** Sends the update and answers with the target's incident for ours; throws DeliveryFailure (or any error) to be retried. */
  send(update: OutgoingUpdate, signal: AbortSignal): Promise<ExternalIncident>;
}

/** A target's refusal or failure, with how long it asked us to wait (429 and Retry-After). */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
