import { describe, expect, test } from 'vitest';
import { reply, strong } from '../../../src/chat/reply.ts';
import { senderActor } from '../../../src/chat/irc/identity.ts';
import { fitBytes, incidentTopic, renderIrcNotice, renderIrcReply, stripFormatting } from '../../../src/chat/irc/render.ts';
import type { Incident } from '../../../src/core/model.ts';

const incident: Incident = {
  id: 4,
  title: 'Checkout is failing',
  severity: 2,
  state: 'investigating',
  timeZone: 'UTC',
  startedAt: new Date('2026-03-02T00:00:00Z'),
  resolvedAt: null,
  closedAt: null,
  openedBy: 'dana',
  openedById: 'dana',
  openedAt: new Date('2026-03-02T00:00:00Z'),
};

describe('IRC rendering', () => {
  test('a reply keeps its lines, marks errors and puts our emphasis in bold', () => {
    expect(renderIrcReply(reply.ok([strong('INC-4'), ' opened'], 'second line'))).toEqual(['\x02INC-4\x02 opened', 'second line']);
    expect(renderIrcReply(reply.error('bad time "25:00"'))).toEqual(['✗ bad time "25:00"']);
  });

  test('a line break, NUL or CTCP marker inside user text never starts another line', () => {
    expect(renderIrcReply(reply.ok(['Logged: ', 'one\r\nQUIT :x\0\x01DCC']))).toEqual(['Logged: one QUIT :xDCC']);
  });

  test('colours and emphasis typed by people are dropped', () => {
    expect(stripFormatting('\x0304,01red\x03 \x02bold\x02 \x1funder\x0f')).toBe('red bold under');
  });

  test('the topic says ref, severity, state, title and commander (left out when unknown), and "closed" once closed', () => {
    expect(incidentTopic(incident, { name: 'dana', id: 'dana' })).toBe('INC-4 [SEV2] investigating | Checkout is failing | commander: dana');
    expect(incidentTopic({ ...incident, title: 'a\r\nTOPIC #x :pwned', state: 'resolved', closedAt: new Date() }, null)).toBe(
      'INC-4 [SEV2] closed | a TOPIC #x :pwned | commander: none',
    );
    expect(incidentTopic({ ...incident, closedAt: new Date() }, undefined)).toBe('INC-4 [SEV2] closed | Checkout is failing');
  });

  test('a notice names the people it addresses first, so their clients highlight it', () => {
    expect(renderIrcNotice({ audience: { to: 'ops' }, line: [{ text: 'W-3 still firing' }], mention: [{ name: 'dana', id: 'dana' }] })).toBe('dana: W-3 still firing');
  });

  test('fitBytes cuts on a character boundary within the byte limit', () => {
    const cut = fitBytes('€€€€', 7);
    expect(cut).toBe('€€');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(7);
  });
});

describe('who typed a command', () => {
  test('the IRC account when the server reports one, else the nick, compared without case', () => {
    expect(senderActor({ nick: 'Dana', account: 'DanaK' })).toEqual({ platform: 'irc', id: 'danak', name: 'Dana' });
    expect(senderActor({ nick: 'Dana', account: null })).toEqual({ platform: 'irc', id: 'dana', name: 'Dana' });
    expect(senderActor({ nick: 'Dana', account: false })).toEqual({ platform: 'irc', id: 'dana', name: 'Dana' });
  });
});
