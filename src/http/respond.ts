import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small answers: every response says its length and is never cached (drafts and health change). */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body) + '\n');
export const text = (res: ServerResponse, status: number, body: string) => send(res, status, 'text/plain; charset=utf-8', body + '\n');

export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 413; reason: string };

/**
 * The request body, at most `maxBytes`: a hook or an event is small, and the port faces the
 * network, so a bigger one is refused (413) without being read into memory.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return { ok: false, status: 413, reason: `the body may be at most ${maxBytes} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.destroy();
      return { ok: false, status: 413, reason: `the body may be at most ${maxBytes} bytes` };
    }
    chunks.push(chunk);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
