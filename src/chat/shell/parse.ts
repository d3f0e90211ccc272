import { splitVerb } from '../command-line.ts';

const PREFIX = /^\s*(?:[/!]incident|[/!]inc)(?:\s+|$)/i;

/**
 * A line typed at the shell: `/incident log …` as on Slack, `!inc log …` as on IRC, or just
 * `log …`. Blank lines and `#` comments (for scripted sessions) are not commands.
 */
export function parseShellLine(line: string): { verb: string; text: string } | null {
  if (/^\s*(#|$)/.test(line)) return null;
  return splitVerb(line.replace(PREFIX, ''));
}
