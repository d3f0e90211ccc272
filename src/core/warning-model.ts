import type { NagState } from './nag-policy.ts';
import type { RoleHolder } from './notices.ts';

/**
 * A warning (DESIGN §3, §5): one fingerprint, kept across its episodes. It fires, is nagged about
 * until someone acks, snoozes or resolves it, and fires again after resolving as the same W-n, so
 * a flapping alert's firings add up (lesson 3).
 */
export interface Warning extends NagState {
  id: number;
  fingerprint: string;
  summary: string;
  severity: string | null;
  /** Who is mentioned in its nags; null when no label or WARNING_OWNERS names anyone. */
  owner: RoleHolder | null;
  labels: Record<string, string>;
  generatorUrl: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  fireCount: number;
  nagCount: number;
  ackedBy: string | null;
  ackedById: string | null;
  ackNote: string | null;
  habitual: boolean;
  nextNagAt: Date | null;
  resolvedAt: Date | null;
  incidentId: number | null;
}

export const MAX_FINGERPRINT_LENGTH = 200;

/** `W-12`. */
export function warningRef(id: number): string {
  return `W-${id}`;
}

const WARNING_REF = /^w-?(\d{1,9})$/i;

/** `W-12`, `w12`, `12` → 12; null when the word is not one. */
export function parseWarningRef(word: string): number | null {
  const m = WARNING_REF.exec(word.trim()) ?? /^(\d{1,9})$/.exec(word.trim());
  return m ? Number(m[1]) : null;
}

/** Acked in the current episode: an ack before it reopened answered the firings before. */
export function ackedThisEpisode(w: Pick<Warning, 'ackedAt' | 'openedAt'>): boolean {
  return w.ackedAt !== null && w.ackedAt.getTime() >= w.openedAt.getTime();
}

/** What the nag rules see: an ack from an earlier episode does not stop this one's nags. */
export function nagStateOf(w: Warning): NagState {
  return { ...w, ackedAt: ackedThisEpisode(w) ? w.ackedAt : null };
}
