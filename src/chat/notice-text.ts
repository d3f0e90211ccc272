import { incidentRef, type Incident } from '../core/model.ts';
import type { Notice, RoleHolder } from '../core/notices.ts';
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
  }
}
