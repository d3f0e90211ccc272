import { createHmac, timingSafeEqual } from 'node:crypto';
import { incidentRef } from '../core/model.ts';
import type { PostmortemFormat } from '../postmortem/export.ts';

/**
 * Incident numbers are sequential, so a postmortem URL carries a token only the holder of the
 * secret can make: an HMAC of the incident, with a purpose prefix so that the same secret can sign
 * other things later without one token standing in for another.
 */
export function postmortemToken(secret: Buffer, incidentId: number): string {
  return createHmac('sha256', secret).update(`postmortem:${incidentRef(incidentId)}`).digest('base64url');
}

export function postmortemUrl(publicUrl: string, secret: Buffer, incidentId: number, format: PostmortemFormat): string {
  return `${publicUrl}/postmortems/${incidentRef(incidentId)}.${format}?token=${postmortemToken(secret, incidentId)}`;
}

/** True when token is the incident's. Compares the text as given, so no two spellings of one token both pass. */
export function isPostmortemToken(secret: Buffer, incidentId: number, token: string | null): boolean {
  if (token === null) return false;
  const expected = Buffer.from(postmortemToken(secret, incidentId));
  const given = Buffer.from(token);
  // The length is public (43 characters); only the content must be compared in constant time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
