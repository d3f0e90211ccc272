import { splitVerb } from '../command-line.ts';
import { asciiLower } from './casemap.ts';

/** A command for firebell, or a word after `!incident` that is not one of its verbs. */
export type Addressed = { verb: string; text: string } | { unknownVerb: string };

export interface AddressingContext {
  /** The nick the bot has now: an alternate such as `firebell_` while its own is taken. */
  botNick: string;
  inIncidentChannel: boolean;
  isPrivate: boolean;
  /** Every verb name and alias, lower-case. */
  verbs: ReadonlySet<string>;
}

const COMMAND_PREFIX = /^!inc(?:ident)?(?=\s|$)/i;

/**
 * Whether a message is meant for firebell (DESIGN §2), and which verb: `!incident <verb> …`,
 * `!inc <verb> …` or `<nick>: <verb> …` anywhere; `!<verb> …` in an incident channel; and in a
 * private message also `<verb> …` alone. The short `!<verb>` form answers only to firebell's own
 * verbs, so another bot's `!seen` in the same channel is left alone (null); only a message
 * plainly addressed to firebell gets `unknownVerb`. A bare `!incident` is verb '' (the router
 * answers it with a one-line usage).
 */
export function parseAddressed(message: string, ctx: AddressingContext): Addressed | null {
  const text = message.trimStart();
  const prefixed = COMMAND_PREFIX.exec(text);
  if (prefixed) return verbIn(text.slice(prefixed[0].length), ctx.verbs);
  const toNick = afterNick(text, ctx.botNick);
  if (toNick !== null) return verbIn(toNick, ctx.verbs);
  const short = /^!(?=\S)/.test(text) ? text.slice(1) : null;
  if (ctx.isPrivate) return verbIn(short ?? text, ctx.verbs);
  if (short === null || !ctx.inIncidentChannel) return null;
  const command = splitVerb(short);
  return command && ctx.verbs.has(command.verb) ? command : null;
}

function verbIn(text: string, verbs: ReadonlySet<string>): Addressed {
  const command = splitVerb(text) ?? { verb: '', text: '' };
  return command.verb === '' || verbs.has(command.verb) ? command : { unknownVerb: command.verb };
}

/** The text after `nick:` or `nick,` at the start of a message, or null when it is not there. */
function afterNick(text: string, nick: string): string | null {
  if (nick === '' || asciiLower(text.slice(0, nick.length)) !== asciiLower(nick)) return null;
  const rest = text.slice(nick.length);
  return /^[:,](\s|$)/.test(rest) ? rest.slice(1) : null;
}
