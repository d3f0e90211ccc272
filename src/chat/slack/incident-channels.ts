import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { incidentRef, type Incident } from '../../core/model.ts';
import type { Notice, RoleHolder } from '../../core/notices.ts';
import type { Actor } from '../../core/people.ts';
import { noticeText } from '../notice-text.ts';
import type { CommandRouter } from '../router.ts';
import type { ChannelDirectory } from '../types.ts';
import { incidentChannelName, withSuffix } from './channel-name.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { renderNotice, renderPurpose, renderReply, renderSummary, renderTopic } from './render.ts';
import { slackError } from './slack-error.ts';

export const SLACK = 'slack';
/** Suffixes tried when an incident channel's name is taken (an archived channel keeps its name). */
const MAX_NAME_SUFFIX = 20;

export interface IncidentChannelsOptions {
  client: webApi.WebClient;
  router: CommandRouter;
  channels: ChannelDirectory;
  opsChannel: string | null;
  renderDraft(incidentId: number): Promise<string | null>;
  clock: Clock;
  log: Logger;
  /** Told of every incident channel it makes or finds, so reactions there are recognised. */
  onChannel(channelId: string, incidentId: number): void;
}

/**
 * What Slack does with notices from the outbox: an incident's channel and pinned summary, its
 * topic following status, severity and roles, announcements in OPS_CHANNEL, the postmortem upload.
 * Delivery is at least once, so each step checks what an earlier attempt already did.
 */
export class SlackIncidentChannels {
  constructor(private readonly opts: IncidentChannelsOptions) {}

  private get client(): webApi.WebClient {
    return this.opts.client;
  }

  async deliver(notice: Notice): Promise<void> {
    switch (notice.kind) {
      case 'incident_opened':
        return this.openChannel(notice.incident, notice.opener);
      case 'incident_updated':
        return this.refresh(notice.incident, notice.commander);
      case 'incident_closed':
        await this.refresh(notice.incident, null, { keepCommander: true });
        return this.announce(noticeText(notice));
      case 'postmortem_ready':
        return this.uploadPostmortem(notice.incidentId, notice.filename, notice.url);
      case 'postmortem_outdated':
        return;
      default:
        // Every other notice with words is said, as on IRC: a new kind is never dropped silently.
        return this.say(noticeText(notice));
    }
  }

  /** A nag or a digest: in the incident's channel when it is about one (ops while it has none), else in ops. */
  private async say(text: ReturnType<typeof noticeText>): Promise<void> {
    if (text?.audience.to === 'incident') {
      const link = await this.opts.channels.linkOf(text.audience.incidentId, SLACK);
      if (link) {
        await this.client.chat.postMessage({ channel: link.channelId, text: renderNotice(text), unfurl_links: false });
        return;
      }
    }
    return this.announce(text);
  }

  /**
   * The incident's channel: made once (delivery is at least once, so each step checks what a
   * failed attempt already did), linked through the core, the opener invited, topic and purpose
   * set, the summary posted and pinned; then the ops channel hears of it.
   */
  private async openChannel(incident: Incident, opener: Actor): Promise<void> {
    let link = await this.opts.channels.linkOf(incident.id, SLACK);
    if (!link) {
      const channelId = await this.createChannel(incidentChannelName(incident.id, incident.title));
      await this.link(incident.id, channelId, null);
      link = { channelId, anchor: null };
    }
    const { channelId } = link;
    this.opts.onChannel(channelId, incident.id);
    if (opener.platform === SLACK) await this.invite(channelId, opener.id);
    if (!link.anchor) {
      await this.client.conversations.setTopic({ channel: channelId, topic: renderTopic(incident, null) });
      await this.client.conversations.setPurpose({ channel: channelId, purpose: renderPurpose(incident) });
      await this.postSummary(incident.id, channelId, renderSummary(incident, null));
      const text = noticeText({ kind: 'incident_opened', incident, opener, origin: { platform: SLACK, channelId } });
      if (text) await this.announce(text, ` → <#${channelId}>`);
    }
  }

  /** Posts the summary, pins it, and keeps its ts with the channel link so later updates edit it. */
  private async postSummary(incidentId: number, channelId: string, summary: ReturnType<typeof renderSummary>): Promise<void> {
    const posted = await this.client.chat.postMessage({ channel: channelId, text: summary.text, blocks: summary.blocks as never, unfurl_links: false });
    await this.client.pins.add({ channel: channelId, timestamp: posted.ts! }).catch((err: unknown) => {
      if (slackError(err) !== 'already_pinned') throw err;
    });
    await this.link(incidentId, channelId, posted.ts!);
  }

  private async createChannel(base: string): Promise<string> {
    for (let k = 1; k <= MAX_NAME_SUFFIX; k++) {
      const name = k === 1 ? base : withSuffix(base, k);
      try {
        const res = await this.client.conversations.create({ name });
        return res.channel!.id!;
      } catch (err) {
        if (slackError(err) !== 'name_taken') throw err;
      }
    }
    throw new Error(`every name from ${base} to ${withSuffix(base, MAX_NAME_SUFFIX)} is taken`);
  }

  private async invite(channel: string, user: string): Promise<void> {
    try {
      await this.client.conversations.invite({ channel, users: user });
    } catch (err) {
      if (slackError(err) !== 'already_in_channel') throw err;
    }
  }

  private async link(incidentId: number, channelId: string, anchor: string | null): Promise<void> {
    const reply = await this.opts.router.dispatch({
      verb: 'link',
      text: '',
      payload: { incidentId, ...(anchor ? { anchor } : {}) },
      actor: { platform: SLACK, id: 'firebell', name: 'firebell' },
      channel: { platform: SLACK, id: channelId },
      eventId: `link:${incidentId}:${channelId}:${anchor ?? 'channel'}`,
      receivedAt: this.opts.clock.now(),
    });
    if (reply.tone === 'error') throw new Error(`linking ${channelId} to ${incidentRef(incidentId)} failed: ${renderReply(reply)}`);
  }

  /** Status, severity or roles changed: the pinned summary and the topic follow. */
  private async refresh(incident: Incident, commander: RoleHolder | null, opts: { keepCommander?: boolean } = {}): Promise<void> {
    const link = await this.opts.channels.linkOf(incident.id, SLACK);
    if (!link?.anchor) return;
    // A close does not say who leads: the summary keeps the commander its last update named.
    const lead = opts.keepCommander ? this.commanders.get(incident.id) ?? null : commander;
    if (!opts.keepCommander) this.commanders.set(incident.id, commander);
    const summary = renderSummary(incident, lead);
    try {
      await this.client.chat.update({ channel: link.channelId, ts: link.anchor, text: summary.text, blocks: summary.blocks as never });
    } catch (err) {
      // Someone deleted the summary: a new one is posted and pinned, else every update would fail for good.
      if (slackError(err) !== 'message_not_found') throw err;
      await this.postSummary(incident.id, link.channelId, summary);
    }
    await this.client.conversations.setTopic({ channel: link.channelId, topic: renderTopic(incident, lead) });
  }

  private readonly commanders = new Map<number, RoleHolder | null>();

  /**
   * A line in OPS_CHANNEL. A channel Slack cannot find or post in is a configuration mistake: it is
   * logged, and does not hold up (or make the outbox repeat) the incident channel's other steps.
   */
  private async announce(text: ReturnType<typeof noticeText>, suffix = ''): Promise<void> {
    if (!text || !this.opts.opsChannel) return;
    try {
      await this.client.chat.postMessage({ channel: this.opts.opsChannel, text: renderNotice(text) + suffix, unfurl_links: false });
    } catch (err) {
      const code = slackError(err);
      if (code === null) throw err;
      this.opts.log.error({ err, opsChannel: this.opts.opsChannel, code }, 'could not announce in OPS_CHANNEL: check it names a channel the bot can post in');
    }
  }

  /** On close, the draft itself goes to the incident's channel (files.uploadV2), with its link. */
  private async uploadPostmortem(incidentId: number, filename: string, url: string | null): Promise<void> {
    const link = await this.opts.channels.linkOf(incidentId, SLACK);
    if (!link) return;
    const draft = await this.opts.renderDraft(incidentId);
    if (draft === null) return;
    const comment = `Postmortem draft for ${incidentRef(incidentId)}${url ? `: <${url}|${escapeMrkdwn(filename)}>` : ''}`;
    await this.client.files.uploadV2({ channel_id: link.channelId, filename, title: `${incidentRef(incidentId)} postmortem draft`, content: draft, initial_comment: comment });
  }
}
