import { incidentRef, type Incident } from '../../core/model.ts';
import type { RoleHolder } from '../../core/notices.ts';
import type { NoticeText } from '../notice-text.ts';
import type { Line, Reply } from '../types.ts';
import { cleanWireText, splitForWire } from './wire.ts';

const MARK = { ok: '', error: '✗ ', queued: '⏳ ' } as const;
const BOLD = '\x02';

/** Lines a channel sees before the rest goes to the asker as notices (one screen, no flood). */
export const MAX_CHANNEL_LINES = 3;

// Colours (\x03 with up to two numbers), bold, italics, underline, reverse, reset: typed by people,
// never part of a command.
const FORMATTING = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|[\x02\x0f\x16\x1d\x1e\x1f]/g;

/** A message as its sender meant the words, without mIRC colours and emphasis. */
export function stripFormatting(text: string): string {
  return text.replace(FORMATTING, '');
}

function renderLine(line: Line): string {
  // User text is a plain span: its own control codes go, so a title cannot restyle the channel.
  return line.map((span) => (span.style === 'strong' ? `${BOLD}${stripFormatting(span.text)}${BOLD}` : stripFormatting(span.text))).join('');
}

/**
 * A reply as IRC text lines (not yet cut to the wire): errors marked, our emphasis in bold. A line
 * break inside user text (a title typed on Slack) becomes a space: one reply line stays one line.
 */
export function renderIrcReply(reply: Reply): string[] {
  const lines = reply.lines.map((l) => cleanWireText(renderLine(l)));
  if (lines[0] !== undefined) lines[0] = MARK[reply.tone] + lines[0];
  return lines;
}

/** A notice's words as one line, with the people it addresses named at the front (IRC highlights a nick). */
export function renderIrcNotice(text: NoticeText): string {
  const mention = text.mention.length > 0 ? `${text.mention.map((p) => p.name).join(', ')}: ` : '';
  return cleanWireText(mention + renderLine(text.line));
}

/**
 * `INC-4 [SEV2] investigating | Checkout is failing | commander: dana`, the topic of an incident's
 * channel. `undefined` means the commander is not known here (a closing notice does not carry
 * one), and the topic then does not claim either way.
 */
export function incidentTopic(incident: Incident, commander: RoleHolder | null | undefined): string {
  const state = incident.closedAt ? 'closed' : incident.state;
  const who = commander === undefined ? '' : ` | commander: ${commander?.name ?? 'none'}`;
  return cleanWireText(`${incidentRef(incident.id)} [SEV${incident.severity}] ${state} | ${stripFormatting(incident.title)}${who}`);
}

/** Text cut to at most `maxBytes` UTF-8 bytes on a character boundary, on one line. */
export function fitBytes(text: string, maxBytes: number): string {
  return splitForWire(cleanWireText(text), maxBytes)[0] ?? '';
}
