import type { Actor } from '../../core/people.ts';
import type { IrcSender } from './allow.ts';
import { asciiLower } from './casemap.ts';

/**
 * Who typed a command, as the timeline records them: the IRCv3 account when the server reports one
 * (it survives nick changes), else the nick, lower-cased the way IRC compares them; shown by the
 * nick they used.
 */
export function senderActor(sender: Pick<IrcSender, 'nick' | 'account'>): Actor {
  return { platform: 'irc', id: asciiLower(sender.account || sender.nick), name: sender.nick };
}
