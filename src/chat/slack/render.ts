import { incidentRef, type Incident } from '../../core/model.ts';
import type { RoleHolder } from '../../core/notices.ts';
import type { NoticeText } from '../notice-text.ts';
import type { Line, Reply } from '../types.ts';
import { escapeMrkdwn } from './mrkdwn.ts';

type Block = Record<string, unknown>;

const MARK = { ok: '', error: '✗ ', queued: '⏳ ' } as const;

/** One line as mrkdwn: user text escaped, our own emphasis as Slack writes it. */
export function renderLine(l: Line): string {
  return l
    .map((s) => {
      if (s.style === 'code') return `\`${escapeMrkdwn(s.text.replace(/`/g, "'"))}\``;
      const t = escapeMrkdwn(s.text);
      return s.style === 'strong' && t.trim() !== '' ? `*${t}*` : t;
    })
    .join('');
}

/** A reply as one mrkdwn message; an error or a queued command is marked on its first line. */
export function renderReply(reply: Reply): string {
  const lines = reply.lines.map(renderLine);
  if (lines.length === 0) lines.push('');
  lines[0] = MARK[reply.tone] + lines[0];
  return lines.join('\n');
}

/** A Slack user's key (`slack:U123`) becomes a mention; anyone else is named, escaped. */
export function mention(person: RoleHolder): string {
  const slack = /^slack:([UW][A-Z0-9]{2,})$/.exec(person.id);
  return slack ? `<@${slack[1]}>` : escapeMrkdwn(person.name);
}

export function renderNotice(text: NoticeText): string {
  const who = text.mention.length > 0 ? ` ${text.mention.map(mention).join(' ')}` : '';
  return renderLine(text.line) + who;
}

/** Slack cuts neither: it refuses a topic or purpose over 250 characters (`too_long`). */
const TOPIC_MAX = 250;

function fitTopic(text: string): string {
  const chars = [...text];
  return chars.length <= TOPIC_MAX ? text : `${chars.slice(0, TOPIC_MAX - 1).join('')}…`;
}

/** The channel topic: where the incident stands, at a glance. No formatting is shown in a topic. */
export function renderTopic(incident: Incident, commander: RoleHolder | null): string {
  const lead = commander ? ` · commander ${commander.name}` : '';
  return fitTopic(`${incidentRef(incident.id)} · SEV${incident.severity} · ${incident.state}${lead} · ${incident.title}`);
}

export function renderPurpose(incident: Incident): string {
  return fitTopic(`Incident ${incidentRef(incident.id)}: ${incident.title}`);
}

/** The block_id that marks the pinned summary. */
export const SUMMARY_BLOCK_ID = 'firebell-summary';

export interface SummaryLinks {
  /** The postmortem draft, once there is one. */
  postmortem?: string | null;
}

/**
 * The pinned summary (Block Kit): the title in a plain_text header, so it shows exactly as typed
 * and notifies no one; severity, status and commander as fields. `text` is the notification
 * fallback Slack shows where blocks cannot be.
 */
export function renderSummary(incident: Incident, commander: RoleHolder | null, links: SummaryLinks = {}): { text: string; blocks: Block[] } {
  const ref = incidentRef(incident.id);
  const header = [...`${ref}: ${incident.title}`];
  const blocks: Block[] = [
    { type: 'header', block_id: SUMMARY_BLOCK_ID, text: { type: 'plain_text', text: header.length > 150 ? `${header.slice(0, 149).join('')}…` : header.join(''), emoji: false } },
    {
      type: 'section',
      block_id: 'firebell-fields',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\nSEV${incident.severity}` },
        { type: 'mrkdwn', text: `*Status*\n${incident.state}${incident.closedAt ? ' (closed)' : ''}` },
        { type: 'mrkdwn', text: `*Commander*\n${commander ? mention(commander) : '_none yet_'}` },
        { type: 'mrkdwn', text: `*Opened by*\n${escapeMrkdwn(incident.openedBy)}` },
      ],
    },
  ];
  const context = [`Started <!date^${Math.floor(incident.startedAt.getTime() / 1000)}^{date_short_pretty} {time}|${incident.startedAt.toISOString()}>`];
  if (links.postmortem) context.push(`<${links.postmortem}|Postmortem draft>`);
  context.push('Type `/incident help` for the commands; react with the timeline emoji to record a message.');
  blocks.push({ type: 'context', block_id: 'firebell-links', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  return { text: `${ref} [SEV${incident.severity}] ${incident.state}: ${escapeMrkdwn(incident.title)}`, blocks };
}
