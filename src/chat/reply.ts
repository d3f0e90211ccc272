import type { Line, Reply, Span } from './types.ts';

export const strong = (text: string): Span => ({ text, style: 'strong' });
export const code = (text: string): Span => ({ text, style: 'code' });

export type LinePart = string | Span;

/** A line from parts: strings are plain (user) text, spans carry our own emphasis. */
export function line(...parts: LinePart[]): Line {
  return parts.filter((p) => (typeof p === 'string' ? p.length > 0 : true)).map((p) => (typeof p === 'string' ? { text: p } : p));
}

function toLine(l: LinePart[] | string): Line {
  return typeof l === 'string' ? line(l) : line(...l);
}

export const reply = {
  ok: (...lines: (LinePart[] | string)[]): Reply => ({ tone: 'ok', lines: lines.map(toLine) }),
  error: (message: string): Reply => ({ tone: 'error', lines: [line(message)] }),
};

/** The whole reply as plain text, one string per line: for logs and the shell. */
export function plainLines(r: Reply): string[] {
  return r.lines.map((l) => l.map((s) => s.text).join(''));
}
