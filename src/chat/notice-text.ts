import { incidentRef, type Incident } from '../core/model.ts';
import { formatDuration } from '../core/duration.ts';
import type { Notice, RoleHolder, WarningBrief } from '../core/notices.ts';
import { warningRef } from '../core/warning-model.ts';
import { code, line } from './reply.ts';
import type { Line } from './types.ts';

/** Where a notice is said: the ops channel, or the incident's own channel (ops when it has none yet). */
export type NoticeAudience = { to: 'ops' } | { to: 'incident'; incidentId: number };

/**
 * A notice as plain words, the same on every platform: what to say and where. Adapters render the
 * line their way (IRC text, Slack mrkdwn, the shell) and mention `mention` the way their platform
 * does; a platform that does more with a notice (Slack's pinned summary, IRC's topic) does that
 * besides. A new kind of notice gets its words here, so every platform can say it.
 */
export interface NoticeText {
  audience: NoticeAudience;
  line: Line;
  /** People to address (an owner, the commander), by name and key. */
  mention: RoleHolder[];
}

function stateLine(incident: Incident): string {
  return `${incidentRef(incident.id)} [SEV${incident.severity}] ${incident.state}: ${incident.title}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function owners(warnings: readonly WarningBrief[]): RoleHolder[] {
  const seen = new Map<string, RoleHolder>();
  for (const w of warnings) if (w.owner && !seen.has(w.owner.id)) seen.set(w.owner.id, w.owner);
  return [...seen.values()];
}

function digestItem(w: WarningBrief): string {
  return `${warningRef(w.id)} ${w.summary} (fired ${times(w.fireCount)}, nagged ${times(w.nagCount)}${w.owner ? `, owner ${w.owner.name}` : ''})`;
}

/** The words for a notice; null for notices no one needs to read (a draft to rewrite). */
export function noticeText(notice: Notice): NoticeText | null {
  switch (notice.kind) {
    case 'incident_opened':
      return {
        audience: { to: 'ops' },
        line: line(`📣 ${incidentRef(notice.incident.id)} opened by ${notice.opener.name}: ${notice.incident.title} (SEV${notice.incident.severity})`),
        mention: [],
      };
    case 'incident_updated': {
      const { incident } = notice;
      const change =
        notice.change === 'role'
          ? `commander: ${notice.commander?.name ?? 'none'}`
          : notice.change === 'severity'
            ? `now SEV${incident.severity}`
            : `status ${incident.state}`;
      return { audience: { to: 'incident', incidentId: incident.id }, line: line(`${stateLine(incident)} (${change})`), mention: [] };
    }
    case 'incident_closed':
      return { audience: { to: 'ops' }, line: line(`📣 ${incidentRef(notice.incident.id)} closed: ${notice.incident.title}`), mention: [] };
    case 'postmortem_ready':
      return {
        audience: { to: 'incident', incidentId: notice.incidentId },
        line: line(`Postmortem draft for ${incidentRef(notice.incidentId)}: ${notice.url ?? notice.filename}`),
        mention: [],
      };
    case 'status_delivery_dead':
      return {
        audience: { to: 'ops' },
        line: line(
          `⚠ The ${notice.state} update of ${incidentRef(notice.incidentId)} could not be delivered to ${notice.target} after ${notice.attempts} attempts (${notice.error}); `,
          code(`deliveries retry ${notice.deliveryId}`),
          ' tries again',
        ),
        mention: [],
      };
    case 'status_delivery_stuck': {
      const tried = notice.attempts === 0 ? 'not tried yet' : `tried ${times(notice.attempts)}`;
      return {
        audience: { to: 'ops' },
        line: line(
          `⏳ The ${notice.state} update of ${incidentRef(notice.incident.id)} (`,
          notice.incident.title,
          `) has waited ${formatDuration(notice.waitedMs)} for ${notice.target}, ${tried}`,
          notice.lastError === null ? '' : ` (last error: ${notice.lastError})`,
          '; ',
          code('deliveries'),
          ' lists it',
        ),
        mention: [],
      };
    }
    case 'postmortem_outdated':
    case 'status_posted':
    case 'status_revised':
      return null;
    case 'command_set_aside': {
      const typed = notice.text === '' ? notice.verb : `${notice.verb} ${notice.text}`;
      return {
        audience: { to: 'ops' },
        line: line(
          `⚠ A command from the journal could not be run and was set aside in ${notice.file} (${notice.reason}): `,
          code(typed),
          ` by ${notice.actor.name}, received ${notice.receivedAt.toISOString()}. The commands after it were recorded; `,
          code('firebell journal'),
          ' lists it.',
        ),
        mention: [],
      };
    }
    case 'warning_nag': {
      const w = notice.warning;
      const ref = warningRef(w.id);
      const what = w.habitual
        ? `🔥 ${ref} is habitually ignored (fired ${times(w.fireCount)}, never acked in time), nag ${notice.nth}: `
        : `⏰ ${ref} still unacked, nag ${notice.nth} (fired ${times(w.fireCount)}): `;
      return {
        audience: { to: 'ops' },
        line: line(what, w.summary, ` · ack ${ref} or snooze ${ref} <duration>`),
        mention: w.owner ? [w.owner] : [],
      };
    }
    case 'warning_resolved': {
      const w = notice.warning;
      const acked = notice.ackedBy ? `acked by ${notice.ackedBy}` : 'never acked';
      return {
        audience: { to: 'ops' },
        line: line(`✅ ${warningRef(w.id)} resolved after ${formatDuration(notice.openForMs)}, nagged ${times(notice.nags)}, ${acked}: `, w.summary),
        mention: [],
      };
    }
    case 'warnings_digest': {
      const habitual = notice.warnings.filter((w) => w.habitual);
      const others = notice.warnings.filter((w) => !w.habitual);
      const parts = [
        ...(habitual.length > 0 ? [`habitually ignored: ${habitual.map(digestItem).join('; ')}`] : []),
        ...(others.length > 0 ? [`open: ${others.map(digestItem).join('; ')}`] : []),
      ];
      return {
        audience: { to: 'ops' },
        line: line(`📋 Warnings digest (${notice.warnings.length}): `, parts.join(' · ')),
        mention: owners(habitual),
      };
    }
    case 'status_nag':
      return {
        audience: { to: 'incident', incidentId: notice.incident.id },
        line: line(
          `⏰ ${stateLine(notice.incident)}: no public status update for ${formatDuration(notice.silentForMs)}; post one with status <state> <message>`,
        ),
        mention: notice.commander ? [notice.commander] : [],
      };
  }
}
