/** When a failed status delivery is tried again (DESIGN §1, lesson 4). */
export interface RetryPolicy {
  /** Wait after the first failure; each later one doubles it, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** After this many attempts, or this long after the update was made, the delivery is dead. */
  maxAttempts: number;
  maxAgeMs: number;
}

const MINUTE_MS = 60_000;

/** Ten attempts spread over about three hours: an hour-long outage of the target is ridden out. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 30_000,
  maxDelayMs: 60 * MINUTE_MS,
  maxAttempts: 10,
  maxAgeMs: 24 * 60 * MINUTE_MS,
};

/**
 * The instant of the next attempt after `attempts` failed ones, or null when the delivery has had
 * its chances. Exponential backoff with up to a quarter of jitter, so deliveries that failed
 * together do not all return together; a target's Retry-After is a floor, never shortened.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: Date,
  now: Date,
  retryAfterMs: number | null,
  random: number,
): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const base = Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  const delay = Math.max(base + base * 0.25 * random, retryAfterMs ?? 0);
  const at = now.getTime() + delay;
  return at - createdAt.getTime() > policy.maxAgeMs ? null : new Date(at);
}
