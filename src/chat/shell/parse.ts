import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { splitVerb } from '../command-line.ts';

const PREFIX = /^\s*(?:[/!]incident|[/!]inc)(?:\s+|$)/i;

/**
 * A line typed at the shell: `/incident log …` as on Slack, `!inc log …` as on IRC, or just
 * `log …`. Blank lines and `#` comments (for scripted sessions) are not commands.
 */
export function parseShellLine(line: string): { verb: string; text: string } | null {
  if (/^\s*(#|$)/.test(line)) return null;
  const rest = line.replace(PREFIX, '');
  // `/incident` alone asks how to use it: the router answers a command with no verb with the usage.
  if (rest !== line && rest.trim() === '') return { verb: '', text: '' };
  return splitVerb(rest);
}

/**
 * Lines of piped input, split on \n only; the \r of a \r\n ending is dropped. A lone \r stays in
 * its line (the router turns it into a line break in the entry's text).
 */
export async function* pipedLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const whole = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  for await (const chunk of input) {
    const parts = (partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer))).split('\n');
    partial = parts.pop()!;
    for (const line of parts) yield whole(line);
  }
  partial += decoder.end();
  if (partial !== '') yield whole(partial);
}
