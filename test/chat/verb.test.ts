import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { reply } from '../../src/chat/reply.ts';
import { bindArguments, defineVerb, type BoundArguments, type Verb } from '../../src/chat/verb.ts';
import type { Result } from '../../src/core/errors.ts';

const required = (label: string) => z.string().trim().min(1, `missing ${label}`);
const noop = async () => reply.ok('ok');

const start = defineVerb({
  name: 'start',
  usage: 'start <title> [--sev 1-4] [--at <time>] [--tz <zone>]',
  help: 'Open an incident.',
  scope: 'global',
  writes: true,
  rest: 'title',
  flags: { sev: 'word', at: 'time', tz: 'word' },
  args: z.object({ title: required('title'), sev: z.string().optional(), at: z.string().optional(), tz: z.string().optional() }),
  run: noop,
});

const status = defineVerb({
  name: 'status',
  usage: 'status <state> <public message>',
  help: 'Post a status update.',
  scope: 'incident',
  writes: true,
  words: ['state'],
  rest: 'message',
  args: z.object({ state: z.enum(['investigating', 'identified', 'monitoring', 'resolved']), message: required('message') }),
  run: noop,
});

const sev = defineVerb({
  name: 'sev',
  usage: 'sev <1-4>',
  help: 'Change the severity.',
  scope: 'incident',
  writes: true,
  words: ['level'],
  args: z.object({
    level: z
      .string()
      .regex(/^[1-4]$/, { error: (iss) => `bad severity "${String(iss.input)}": use 1-4` })
      .transform(Number),
  }),
  run: noop,
});

const log = defineVerb({
  name: 'log',
  aliases: ['note'],
  usage: 'log [<time>] <text>',
  help: 'Add a timeline entry.',
  scope: 'incident',
  writes: true,
  rest: 'text',
  args: z.object({ text: required('text') }),
  run: noop,
});

const followup = defineVerb({
  name: 'followup',
  usage: 'followup <text> [--owner <user>] [--due <date>]',
  help: 'Add an action item.',
  scope: 'incident',
  writes: true,
  rest: 'text',
  flags: { owner: 'word', due: 'word' },
  args: z.object({ text: required('text'), owner: z.string().optional(), due: z.string().optional() }),
  run: noop,
});

function bound(verb: Verb, text: string): BoundArguments {
  const r = verb.bind(text);
  if (!r.ok) throw new Error(`expected "${text}" to bind, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const argsOf = (verb: Verb, text: string) => bound(verb, text).args;

function errorOf(r: Result<BoundArguments>): string {
  return r.ok ? `no error: ${JSON.stringify(r.value)}` : `${r.error.code}: ${r.error.message}`;
}

describe('words and the rest', () => {
  test('words fill their keys in order and the rest keeps the text exactly as typed', () => {
    expect(argsOf(status, 'monitoring   error rate is "back" to  normal, it\'s fine')).toEqual({
      state: 'monitoring',
      message: 'error rate is "back" to  normal, it\'s fine',
    });
  });

  test('a rest that is one quoted phrase loses its quotes', () => {
    expect(argsOf(log, '"Rolled back release 4812"')).toEqual({ text: 'Rolled back release 4812' });
    expect(argsOf(log, '“Rolled back release 4812”')).toEqual({ text: 'Rolled back release 4812' });
  });

  test('a rest with several quoted phrases keeps every quote', () => {
    expect(argsOf(log, '"primary" failed over to "replica-2"')).toEqual({ text: '"primary" failed over to "replica-2"' });
  });

  test('a rest keeps line breaks', () => {
    expect(argsOf(log, 'first line\n  second line')).toEqual({ text: 'first line\n  second line' });
  });

  test('the schema runs on the bound words: a severity word becomes a number', () => {
    expect(argsOf(sev, '2')).toEqual({ level: 2 });
  });

  test('a word too many for a verb without a rest is refused with its usage', () => {
    expect(errorOf(sev.bind('2 3'))).toBe('bad_argument: unexpected "3"; usage: sev <1-4>');
  });

  test("a value the schema refuses gives the schema's one-line message", () => {
    expect(errorOf(sev.bind('9'))).toBe('bad_argument: bad severity "9": use 1-4');
  });

  test('a missing argument names it and shows the usage', () => {
    expect(errorOf(sev.bind(''))).toBe('missing_argument: missing level; usage: sev <1-4>');
    expect(errorOf(start.bind('--sev 2'))).toBe(
      'missing_argument: missing title; usage: start <title> [--sev 1-4] [--at <time>] [--tz <zone>]',
    );
    expect(errorOf(status.bind('monitoring'))).toBe('missing_argument: missing message; usage: status <state> <public message>');
  });

  test('a blank quoted rest counts as missing', () => {
    expect(errorOf(log.bind('"   "'))).toBe('missing_argument: missing text; usage: log [<time>] <text>');
  });
});

describe('flags', () => {
  test('--flag value and --flag=value both fill the key of that name', () => {
    expect(argsOf(start, 'Checkout API down --sev 2 --tz=Europe/Berlin')).toEqual({
      title: 'Checkout API down',
      sev: '2',
      tz: 'Europe/Berlin',
    });
  });

  test('curly-quoted text beside a flag is unquoted like straight-quoted text', () => {
    expect(argsOf(start, '“Checkout API down” --sev 2')).toEqual({ title: 'Checkout API down', sev: '2' });
  });

  test('flags may stand anywhere; where one is cut out the text closes up with one space', () => {
    expect(argsOf(start, 'Checkout  API --sev 2 down   since deploy')).toEqual({
      title: 'Checkout  API down   since deploy',
      sev: '2',
    });
    expect(argsOf(start, '--sev 1 Checkout down')).toEqual({ title: 'Checkout down', sev: '1' });
  });

  test('flag names are matched regardless of case', () => {
    expect(argsOf(start, 'Checkout down --SEV 2')).toEqual({ title: 'Checkout down', sev: '2' });
  });

  test('a time flag takes a date and a clock time typed without quotes', () => {
    expect(argsOf(start, 'Checkout down --at 2026-03-01 23:40 --sev 2')).toEqual({
      title: 'Checkout down',
      at: '2026-03-01 23:40',
      sev: '2',
    });
    expect(argsOf(start, 'Checkout down --at 2026-03-01 23:40:15')).toMatchObject({ at: '2026-03-01 23:40:15' });
  });

  test('a time flag whose words the time grammar refuses gives its error, rather than leaving them to the text', () => {
    expect(errorOf(start.bind('Checkout down --at 2026-03-01 overnight'))).toBe('bad_time: a date needs a time: 2026-03-01 HH:MM');
    expect(errorOf(start.bind('Checkout down --at 23:40 IST'))).toBe(
      'bad_zone: ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30',
    );
  });

  test('a time flag takes a quoted date and time, a bare clock time, or ISO 8601', () => {
    expect(argsOf(start, 'x --at "2026-03-01 23:40"')).toMatchObject({ at: '2026-03-01 23:40' });
    expect(argsOf(start, 'x --at 23:40')).toMatchObject({ at: '23:40' });
    expect(argsOf(start, 'x --at 2026-03-01T23:40:00+01:00')).toMatchObject({ at: '2026-03-01T23:40:00+01:00' });
  });

  test('a time flag written --at=2026-03-01 23:40 takes the date and the time', () => {
    expect(argsOf(start, 'Checkout down --at=2026-03-01 23:40')).toEqual({ title: 'Checkout down', at: '2026-03-01 23:40' });
  });

  test('a quoted value after = is one value without its quotes', () => {
    expect(argsOf(start, 'Checkout down --at="2026-03-01 23:40"')).toEqual({ title: 'Checkout down', at: '2026-03-01 23:40' });
  });

  test('a word flag takes one word, even when a clock time follows it', () => {
    expect(argsOf(followup, 'check backups at --due 2026-03-15 09:00')).toEqual({
      text: 'check backups at 09:00',
      due: '2026-03-15',
    });
  });

  test('an unknown flag is refused, naming the ones the verb knows', () => {
    expect(errorOf(start.bind('Checkout down --severity 2'))).toBe('bad_argument: unknown option --severity: start takes --sev, --at, --tz');
  });

  test('a flag given twice is refused', () => {
    expect(errorOf(start.bind('Checkout down --sev 1 --sev=2'))).toBe('bad_argument: --sev is given twice');
  });

  test('a flag without a value is refused with the usage', () => {
    const usage = 'usage: start <title> [--sev 1-4] [--at <time>] [--tz <zone>]';
    expect(errorOf(start.bind('Checkout down --sev'))).toBe(`missing_argument: --sev needs a value; ${usage}`);
    expect(errorOf(start.bind('Checkout down --sev --at 23:40'))).toBe(`missing_argument: --sev needs a value; ${usage}`);
  });

  test('a quoted value may start with two dashes', () => {
    expect(argsOf(followup, 'rename the flag --owner "--dana"')).toEqual({ text: 'rename the flag', owner: '--dana' });
  });

  test('a quoted "--sev" is text, not a flag', () => {
    expect(argsOf(start, 'Checkout "--sev" parsing broken --sev 1')).toEqual({ title: 'Checkout "--sev" parsing broken', sev: '1' });
  });

  test('a verb without flags keeps --force and --x=y as text', () => {
    expect(argsOf(log, 'ran deploy --force  --to-revision=3')).toEqual({ text: 'ran deploy --force  --to-revision=3' });
  });
});

describe('an incident named first', () => {
  test('a leading INC-7 picks the incident for an incident verb and is not part of its arguments', () => {
    expect(bound(status, 'INC-7 monitoring error rate falling')).toEqual({
      incidentId: 7,
      args: { state: 'monitoring', message: 'error rate falling' },
    });
    expect(bound(sev, 'inc-12 1')).toEqual({ incidentId: 12, args: { level: 1 } });
  });

  test('a leading INC-7 is ordinary text for a global verb', () => {
    expect(bound(start, 'INC-7 follow-up review')).toEqual({ incidentId: null, args: { title: 'INC-7 follow-up review' } });
  });

  test('INC-7 later in the text or quoted does not pick an incident', () => {
    expect(bound(log, 'same cause as INC-7')).toEqual({ incidentId: null, args: { text: 'same cause as INC-7' } });
    expect(bound(log, '"INC-7" was opened by mistake')).toEqual({ incidentId: null, args: { text: '"INC-7" was opened by mistake' } });
    expect(bound(log, '"INC1" was a typo')).toEqual({ incidentId: null, args: { text: '"INC1" was a typo' } });
  });

  test.each(['INC1', 'inc12', 'inc_3', 'INC-', 'INC-1x', 'INC-7:', 'INC-7,', 'INC#3', 'inc.3', 'INC:3', 'INC\u20133', 'INC-abc'])(
    'a first word meant as an incident but not a valid reference is refused: %s',
    (word) => {
      const error = `bad_argument: bad incident reference "${word}": use INC-<number>, e.g. INC-3`;
      expect(errorOf(log.bind(`${word} Paged the database team`))).toBe(error);
      expect(errorOf(sev.bind(`${word} 2`))).toBe(error);
    },
  );

  test('a number beyond what the database holds names no incident, and is refused before reaching it', () => {
    expect(errorOf(log.bind('INC-99999999999999999999 x'))).toBe('unknown_incident: INC-99999999999999999999 does not exist');
    expect(errorOf(log.bind('inc-2147483648 x'))).toBe('unknown_incident: INC-2147483648 does not exist');
    expect(bound(log, 'INC-2147483647 x')).toEqual({ incidentId: 2147483647, args: { text: 'x' } });
    expect(bound(log, 'INC-007 x')).toEqual({ incidentId: 7, args: { text: 'x' } });
  });

  test.each(['incident review booked', 'Inc. vendor paged', 'increase in 502s', 'INC team paged', 'inc.', 'income dashboard down', 'Inc/Corp VPN down'])(
    'a first word that only starts like an incident is text: %s',
    (text) => {
      expect(bound(log, text)).toEqual({ incidentId: null, args: { text } });
    },
  );

  test('a global verb keeps an INC-like first word as text', () => {
    expect(bound(start, 'INC1 postmortem review')).toEqual({ incidentId: null, args: { title: 'INC1 postmortem review' } });
  });

  test('INC-7 alone leaves the verb its missing argument', () => {
    expect(errorOf(log.bind('INC-7'))).toBe('missing_argument: missing text; usage: log [<time>] <text>');
  });
});

describe('defineVerb', () => {
  test('keeps the name, aliases, usage, help, scope and whether it writes', () => {
    expect({ ...log, bind: undefined, bindPayload: undefined, run: undefined }).toEqual({
      name: 'log',
      aliases: ['note'],
      usage: 'log [<time>] <text>',
      help: 'Add a timeline entry.',
      scope: 'incident',
      writes: true,
      internal: false,
      bind: undefined,
      bindPayload: undefined,
      run: undefined,
      // One command at a time: only verbs that record many at once (alert) carry their own.
      runMany: null,
    });
    expect(sev.aliases).toEqual([]);
  });

  test('bindArguments binds a spec directly, as defineVerb does', () => {
    const r = bindArguments(
      { name: 'role', usage: 'role <role> <user>', help: '', writes: true, scope: 'incident', words: ['role', 'user'], args: z.object({ role: z.string(), user: z.string() }) },
      'INC-3 commander @dana',
    );
    expect(r).toEqual({ ok: true, value: { incidentId: 3, args: { role: 'commander', user: '@dana' } } });
  });
});
