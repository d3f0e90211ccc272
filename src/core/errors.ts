/**
 * User mistakes are values, not exceptions: every verb answers a bad input with one of these,
 * rendered as a single line, and changes nothing. One catalogue, so codes stay unique and greppable.
 */
export type ErrorCode =
  | 'unknown_verb'
  | 'bad_argument'
  | 'missing_argument'
  | 'bad_time'
  | 'bad_date'
  | 'bad_zone'
  | 'future_time'
  | 'nonexistent_time'
  | 'unknown_incident'
  | 'no_open_incident'
  | 'ambiguous_incident'
  | 'incident_closed'
  | 'unknown_entry'
  | 'entry_deleted'
  | 'nothing_to_export'
  | 'unknown_delivery'
  | 'unknown_followup'
  | 'unknown_warning'
  | 'warning_resolved'
  | 'database_unavailable';

export interface UserError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
