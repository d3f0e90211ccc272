import { describe, expect, test } from 'vitest';
import { parseAddressed, type AddressingContext } from '../../../src/chat/irc/addressing.ts';

const verbs = new Set(['start', 'log', 'note', 'status', 'help', 'show']);
const inLobby: AddressingContext = { botNick: 'firebell', inIncidentChannel: false, isPrivate: false, verbs };
const inIncident: AddressingContext = { ...inLobby, inIncidentChannel: true };
const inPrivate: AddressingContext = { ...inLobby, isPrivate: true };

describe('parseAddressed', () => {
  test('!incident and !inc carry a verb and its text, in any case', () => {
    expect(parseAddressed('!incident start Checkout API down --sev 2', inLobby)).toEqual({ verb: 'start', text: 'Checkout API down --sev 2' });
    expect(parseAddressed('!inc log rolled back', inLobby)).toEqual({ verb: 'log', text: 'rolled back' });
    expect(parseAddressed('!INC LOG rolled back', inLobby)).toEqual({ verb: 'log', text: 'rolled back' });
    expect(parseAddressed('  !Incident note  spaces kept  inside', inLobby)).toEqual({ verb: 'note', text: 'spaces kept  inside' });
  });

  test('!incident with a word that is not a verb is an unknown verb, to be answered', () => {
    expect(parseAddressed('!incident frobnicate now', inLobby)).toEqual({ unknownVerb: 'frobnicate' });
    expect(parseAddressed('!inc SEEN dana', inIncident)).toEqual({ unknownVerb: 'seen' });
  });

  test('a bare !incident is the empty verb, which the router answers with a usage line', () => {
    expect(parseAddressed('!incident', inLobby)).toEqual({ verb: '', text: '' });
    expect(parseAddressed('!inc   ', inLobby)).toEqual({ verb: '', text: '' });
  });

  test('!incidents and !include are other words, not the prefix', () => {
    expect(parseAddressed('!incidents log x', inLobby)).toBeNull();
    expect(parseAddressed('!include foo', inLobby)).toBeNull();
  });

  test('the bot addressed by nick with a colon or a comma, in any case', () => {
    expect(parseAddressed('firebell: log canary is green', inLobby)).toEqual({ verb: 'log', text: 'canary is green' });
    expect(parseAddressed('FireBell, status identified bad deploy', inLobby)).toEqual({ verb: 'status', text: 'identified bad deploy' });
    expect(parseAddressed('firebell: dance', inLobby)).toEqual({ unknownVerb: 'dance' });
    expect(parseAddressed('firebell:', inLobby)).toEqual({ verb: '', text: '' });
  });

  test('the nick that counts is the one the bot has now, such as an alternate', () => {
    const asAlternate = { ...inLobby, botNick: 'firebell_' };
    expect(parseAddressed('firebell_: log x', asAlternate)).toEqual({ verb: 'log', text: 'x' });
    expect(parseAddressed('firebell: log x', asAlternate)).toBeNull();
    expect(parseAddressed('firebell_: log x', inLobby)).toBeNull();
  });

  test('a nick inside a sentence, or without the colon, is not addressing the bot', () => {
    expect(parseAddressed('ask firebell: log x', inLobby)).toBeNull();
    expect(parseAddressed('firebell log x', inLobby)).toBeNull();
    expect(parseAddressed('firebell:log x', inLobby)).toBeNull();
    expect(parseAddressed('firebellbot: log x', inLobby)).toBeNull();
  });

  test('a nick with IRC special characters is matched literally', () => {
    const special = { ...inLobby, botNick: 'fb[m]|^' };
    expect(parseAddressed('FB[M]|^: log x', special)).toEqual({ verb: 'log', text: 'x' });
    expect(parseAddressed('fbXmX|^: log x', special)).toBeNull();
  });

  test('the short !verb form works in an incident channel', () => {
    expect(parseAddressed('!log 14:05 paged the DBA', inIncident)).toEqual({ verb: 'log', text: '14:05 paged the DBA' });
    expect(parseAddressed('!STATUS monitoring fix deployed', inIncident)).toEqual({ verb: 'status', text: 'monitoring fix deployed' });
  });

  test('another bot’s !seen in an incident channel is ignored silently', () => {
    expect(parseAddressed('!seen dana', inIncident)).toBeNull();
    expect(parseAddressed('! log x', inIncident)).toBeNull();
  });

  test('the short form means nothing outside an incident channel', () => {
    expect(parseAddressed('!log x', inLobby)).toBeNull();
  });

  test('ordinary chat is not a command', () => {
    expect(parseAddressed('log the canary please', inIncident)).toBeNull();
    expect(parseAddressed('', inIncident)).toBeNull();
  });

  test('a private message needs no prefix, and an unknown word there is answered', () => {
    expect(parseAddressed('log checked the replica', inPrivate)).toEqual({ verb: 'log', text: 'checked the replica' });
    expect(parseAddressed('hello there', inPrivate)).toEqual({ unknownVerb: 'hello' });
  });

  test('a private message may still use any prefix', () => {
    expect(parseAddressed('!inc show INC-3', inPrivate)).toEqual({ verb: 'show', text: 'INC-3' });
    expect(parseAddressed('firebell: show', inPrivate)).toEqual({ verb: 'show', text: '' });
    expect(parseAddressed('!show INC-3', inPrivate)).toEqual({ verb: 'show', text: 'INC-3' });
    expect(parseAddressed('!seen dana', inPrivate)).toEqual({ unknownVerb: 'seen' });
  });
});
