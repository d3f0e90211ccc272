import { DeliveryFailure, parseRetryAfter } from './target.ts';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  /** Sent as is: the webhook signs these exact bytes. */
  body?: string;
  signal: AbortSignal;
  now: Date;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** Statuspage answers 420 as well as 429 when rate-limited; both carry Retry-After. */
const RATE_LIMITED = new Set([420, 429, 503]);

/**
 * One request to a status page's API. A 2xx answer resolves with its JSON body (null when it has
 * none); anything else throws a DeliveryFailure naming the status and the API's own message,
 * carrying Retry-After. The message never includes our request, so no key can reach a log.
 */
export async function callApi(call: HttpCall): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body ?? null, signal: call.signal, redirect: 'error' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new DeliveryFailure(`${call.method} ${describeUrl(call.url)} failed: ${cause ?? (err instanceof Error ? err.message : String(err))}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status, body };
  const retryAfterMs = RATE_LIMITED.has(res.status) ? parseRetryAfter(res.headers.get('retry-after'), call.now) : null;
  throw new DeliveryFailure(`${call.method} ${describeUrl(call.url)} answered ${res.status}${apiMessage(body)}`, retryAfterMs);
}

/** The URL without its query (a key could hide there) and cut short. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.slice(0, 200);
  } catch {
    return 'the API';
  }
}

/** An API's error text, from the shapes Statuspage and Cachet use: {message}, {error}, {errors:[{detail}]}. */
function apiMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const b = body as { message?: unknown; error?: unknown; errors?: unknown };
  let text: unknown = b.message ?? b.error;
  if (text === undefined && Array.isArray(b.errors)) {
    const first = b.errors[0] as { detail?: unknown; title?: unknown } | string | undefined;
    text = typeof first === 'string' ? first : (first?.detail ?? first?.title);
  }
  return typeof text === 'string' && text !== '' ? `: ${text.slice(0, 200)}` : '';
}

/** A JSON object's field, or null. */
export function field(body: unknown, ...path: string[]): unknown {
  let at: unknown = body;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return at ?? null;
}
