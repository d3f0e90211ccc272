import type { IncomingMessage } from 'node:http';

export type ParsedArgs =
  | { ok: true; args: Record<string, unknown>; contentType: string }
  | { ok: false; error: string };

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `application/x-www-form-urlencoded; charset=utf-8` → its media type and charset. */
export function parseContentType(header: string | undefined): { mediaType: string; charset: string | null } {
  const [type = '', ...params] = (header ?? '').split(';');
  const charset = params.map((p) => p.trim().split('=')).find(([k]) => k?.toLowerCase() === 'charset')?.[1] ?? null;
  return { mediaType: type.trim().toLowerCase(), charset: charset?.replace(/"/g, '').toLowerCase() ?? null };
}

/**
 * A Web API request's arguments, from the body as Slack reads it: the POST types and charsets its
 * common errors list (`invalid_post_type`: application/json, application/x-www-form-urlencoded,
 * multipart/form-data, text/plain; `invalid_charset`: utf-8, iso-8859-1), plus query parameters.
 * Form and multipart values stay strings; JSON values keep their JSON types.
 */
export async function parseApiArgs(req: IncomingMessage, raw: Buffer): Promise<ParsedArgs> {
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
  const header = req.headers['content-type'];
  if (header === undefined) return raw.length > 0 ? { ok: false, error: 'missing_post_type' } : { ok: true, args: query, contentType: '' };
  const { mediaType, charset } = parseContentType(header);
  if (charset !== null && charset !== 'utf-8' && charset !== 'iso-8859-1') return { ok: false, error: 'invalid_charset' };
  const text = raw.toString(charset === 'iso-8859-1' ? 'latin1' : 'utf8');
  switch (mediaType) {
    case 'application/x-www-form-urlencoded':
    case 'text/plain':
      return { ok: true, args: { ...query, ...Object.fromEntries(new URLSearchParams(text)) }, contentType: mediaType };
    case 'application/json': {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // Not among the common errors on the method pages, but what Slack answers to a bad JSON body.
        return { ok: false, error: 'invalid_json' };
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: { ...query, ...(body as Record<string, unknown>) }, contentType: mediaType };
    }
    case 'multipart/form-data': {
      const form = await readMultipart(raw, header);
      if (!form) return { ok: false, error: 'invalid_form_data' };
      const args: Record<string, unknown> = { ...query };
      for (const [k, v] of form) args[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
      return { ok: true, args, contentType: mediaType };
    }
    default:
      return { ok: false, error: 'invalid_post_type' };
  }
}

/** A multipart body read with the platform's own parser (undici's, as fetch uses). */
export async function readMultipart(raw: Buffer, contentType: string): Promise<FormData | null> {
  try {
    return await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return null;
  }
}
