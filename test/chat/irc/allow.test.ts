import { describe, expect, test } from 'vitest';
import { isAllowed, parseAllowList, type AllowRule, type IrcSender } from '../../../src/chat/irc/allow.ts';

function rules(text: string): AllowRule[] {
  const parsed = parseAllowList(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const dana: IrcSender = { nick: 'dana', ident: '~dana', hostname: 'laptop.ops.example.net' };
const mallory: IrcSender = { nick: 'mallory', ident: '~m', hostname: 'evil.example.com' };

describe('parseAllowList', () => {
  test('hostmasks and account entries, separated by commas and spaces', () => {
    expect(rules('*!*@ops.example.net, account:Dana,nick!*@*')).toEqual([
      { kind: 'mask', nick: '*', user: '*', host: 'ops.example.net' },
      { kind: 'account', name: 'dana' },
      { kind: 'mask', nick: 'nick', user: '*', host: '*' },
    ]);
  });

  test('an empty list allows no one', () => {
    expect(rules('  ')).toEqual([]);
    expect(isAllowed(dana, [])).toBe(false);
  });

  test('a bare nick is refused: anyone can take a nick', () => {
    expect(parseAllowList('*!*@ops.example.net,dana')).toEqual({
      ok: false,
      error: { code: 'bad_argument', message: '"dana" is not an allow entry: use a hostmask like "*!*@ops.example.net" or "account:<name>"' },
    });
  });

  test('a mask missing a part, or with two, is refused', () => {
    for (const bad of ['*@host', 'nick!user', '!user@host', 'nick!@host', 'nick!user@', 'a!b!c@d', 'a!b@c@d']) {
      const parsed = parseAllowList(bad);
      expect(parsed.ok ? 'accepted' : parsed.error.message, bad).toBe(`${JSON.stringify(bad)} is not an allow entry: use a hostmask like "*!*@ops.example.net" or "account:<name>"`);
    }
  });

  test('an account entry needs a name, without wildcards', () => {
    for (const bad of ['account:', 'account:*', 'ACCOUNT:da?a']) {
      const parsed = parseAllowList(bad);
      expect(parsed.ok ? 'accepted' : parsed.error.message, bad).toBe(`${JSON.stringify(bad)} needs an account name without wildcards, as in "account:dana"`);
    }
  });
});

describe('isAllowed', () => {
  test('a host glob lets in anyone from that host, and no one else', () => {
    const allow = rules('*!*@*.ops.example.net');
    expect(isAllowed(dana, allow)).toBe(true);
    expect(isAllowed(mallory, allow)).toBe(false);
  });

  test('* matches nothing as well as anything; ? matches exactly one character', () => {
    expect(isAllowed(dana, rules('dana*!*@*'))).toBe(true);
    expect(isAllowed(dana, rules('d?na!*@*'))).toBe(true);
    expect(isAllowed(dana, rules('d?a!*@*'))).toBe(false);
    expect(isAllowed(dana, rules('dana?!*@*'))).toBe(false);
    expect(isAllowed(dana, rules('*!~dana@laptop.*.example.net'))).toBe(true);
  });

  test('each part is matched on its own: a * in the nick cannot reach into the host', () => {
    const sender = { nick: 'x', ident: 'y', hostname: 'ops.example.net' };
    expect(isAllowed(sender, rules('*!y@*ops.example.net'))).toBe(true);
    expect(isAllowed({ ...sender, hostname: 'attacker.net' }, rules('*!*@ops.example.net'))).toBe(false);
  });

  test('the mask must match the whole host, not a suffix or prefix of it', () => {
    expect(isAllowed({ ...dana, hostname: 'ops.example.net.evil.com' }, rules('*!*@ops.example.net'))).toBe(false);
    expect(isAllowed({ ...dana, hostname: 'xops.example.net' }, rules('*!*@ops.example.net'))).toBe(false);
  });

  test('matching ignores ASCII case, per the ascii casemapping', () => {
    expect(isAllowed({ nick: 'DANA', ident: '~Dana', hostname: 'LAPTOP.Ops.Example.NET' }, rules('dana!~dana@*.ops.example.net'))).toBe(true);
  });

  test('an account entry matches the IRCv3 account, not the nick', () => {
    const allow = rules('account:dana');
    expect(isAllowed({ ...mallory, account: 'Dana' }, allow)).toBe(true);
    expect(isAllowed({ ...dana, account: undefined }, allow)).toBe(false);
    expect(isAllowed({ ...dana, account: false }, allow)).toBe(false);
    expect(isAllowed({ ...dana, account: 'danaa' }, allow)).toBe(false);
  });

  test('any one matching rule is enough', () => {
    const allow = rules('*!*@ops.example.net, account:mallory');
    expect(isAllowed({ ...mallory, account: 'mallory' }, allow)).toBe(true);
    expect(isAllowed(mallory, allow)).toBe(false);
  });

  test('a pattern full of stars against a long text still answers at once', () => {
    const started = performance.now();
    expect(isAllowed({ nick: 'n', ident: 'u', hostname: `${'a'.repeat(5000)}b` }, rules(`*!*@${'*a'.repeat(40)}c`))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
