import { fail, ok, type Result } from '../../core/errors.ts';
import { asciiLower } from './casemap.ts';

/** One IRC_ALLOW entry: a `nick!user@host` glob, or an IRCv3 account name. */
export type AllowRule = { kind: 'mask'; nick: string; user: string; host: string } | { kind: 'account'; name: string };

/** Who sent a message, as irc-framework reports it. */
export interface IrcSender {
  nick: string;
  /** The user part, `~` included when the server could not verify it. */
  ident: string;
  hostname: string;
  /** From the IRCv3 account tag; absent on servers without it (ngircd). */
  account?: string | false | null;
}

const MASK = /^([^!@]+)!([^!@]+)@([^!@]+)$/;
const ACCOUNT = /^account:(.*)$/i;

/**
 * IRC_ALLOW: `*!*@ops.example.net, account:dana, dana!*@*`, separated by commas or spaces. Masks
 * take `*` and `?`. A bare nick is refused: anyone can take a nick, so it must be written as a
 * mask on purpose. The first bad entry is reported.
 */
export function parseAllowList(text: string): Result<AllowRule[]> {
  const rules: AllowRule[] = [];
  for (const entry of text.split(/[\s,]+/).filter((e) => e !== '')) {
    const account = ACCOUNT.exec(entry);
    if (account) {
      const name = account[1]!;
      if (!/^[^*?]+$/.test(name)) return fail('bad_argument', `${JSON.stringify(entry)} needs an account name without wildcards, as in "account:dana"`);
      rules.push({ kind: 'account', name: asciiLower(name) });
      continue;
    }
    const mask = MASK.exec(entry);
    if (!mask) return fail('bad_argument', `${JSON.stringify(entry)} is not an allow entry: use a hostmask like "*!*@ops.example.net" or "account:<name>"`);
    rules.push({ kind: 'mask', nick: asciiLower(mask[1]!), user: asciiLower(mask[2]!), host: asciiLower(mask[3]!) });
  }
  return ok(rules);
}

/** Whether any rule lets this sender in. No rules, no one. */
export function isAllowed(sender: IrcSender, rules: readonly AllowRule[]): boolean {
  const account = sender.account ? asciiLower(sender.account) : null;
  return rules.some((rule) =>
    rule.kind === 'account'
      ? rule.name === account
      : globMatches(rule.nick, asciiLower(sender.nick)) && globMatches(rule.user, asciiLower(sender.ident)) && globMatches(rule.host, asciiLower(sender.hostname)),
  );
}

/** `*` is any run (even none), `?` one character. Backtracks only to the last `*`: no regex, no blow-up. */
function globMatches(pattern: string, text: string): boolean {
  const p = [...pattern];
  const t = [...text];
  let pi = 0;
  let ti = 0;
  let star = -1;
  let starTi = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      starTi = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++starTi;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
