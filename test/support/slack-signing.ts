/**
 * Requests signed exactly as Slack signs what it sends to an app's Request URL
 * (api.slack.com/authentication/verifying-requests-from-slack): `X-Slack-Request-Timestamp` in
 * Unix seconds and `X-Slack-Signature: v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed
 * with the signing secret. Slash commands are form fields, interactivity is one form field
 * `payload=<json>`, events are a JSON envelope; the content types are Slack's, without a charset
 * (Bolt parses a form only when the type is exactly `application/x-www-form-urlencoded`).
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** How to spoil a request: a wrong key, no signature header, or a timestamp 6 minutes old. */
export type SignatureFault = 'bad' | 'missing' | 'stale';

export interface SlackUser {
  id: string;
  name: string;
}

export interface SignerOptions {
  signingSecret: string;
  /**
   * Bolt checks the timestamp against its own Date.now(), which a test cannot move, so this is
   * real time unless a test deliberately signs for another moment.
   */
  now?: () => Date;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The bot's user id, for the events' `authorizations`. */
  botUserId?: string;
  botId?: string;
}

// Bolt refuses a timestamp older than 5 minutes (HTTPModuleFunctions, requestTimestampMaxDeltaMin).
const STALE_BY_SECONDS = 6 * 60;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export function signatureFor(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Values for a view's `state.values[block_id][action_id]`, as Slack fills them on submit. */
export const stateValue = {
  plainText: (value: string | null) => ({ type: 'plain_text_input', value }),
  staticSelect: (value: string, text = value) => ({
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text, emoji: true }, value },
  }),
};

export class SlackSigner {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly apiAppId: string;
  readonly botUserId: string;
  readonly botId: string;
  // The deprecated verification token Slack still sends in every payload.
  readonly verificationToken = randomBytes(12).toString('base64url');
  private readonly now: () => Date;
  private eventSeq = 0;

  constructor(private readonly options: SignerOptions) {
    this.now = options.now ?? (() => new Date());
    this.teamId = options.teamId ?? 'T0FIREBELL';
    this.teamDomain = options.teamDomain ?? 'firebell-test';
    this.apiAppId = options.apiAppId ?? 'A0FIREBELL';
    this.botUserId = options.botUserId ?? 'U0FIREBELL';
    this.botId = options.botId ?? 'B0FIREBELL';
  }

  sign(body: string, contentType: string, fault?: SignatureFault, extraHeaders: Record<string, string> = {}): SignedRequest {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const timestamp = fault === 'stale' ? nowSec - STALE_BY_SECONDS : nowSec;
    const secret = fault === 'bad' ? `${this.options.signingSecret}x` : this.options.signingSecret;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      ...extraHeaders,
    };
    if (fault !== 'missing') headers['x-slack-signature'] = signatureFor(secret, timestamp, body);
    return { headers, body };
  }

  /** A slash command, fields in the order Slack sends them. */
  command(
    command: string,
    text: string,
    at: { user: SlackUser; channelId: string; channelName: string; responseUrl: string; triggerId?: string },
    fault?: SignatureFault,
  ): SignedRequest {
    const fields = new URLSearchParams({
      token: this.verificationToken,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: at.channelId,
      channel_name: at.channelName,
      user_id: at.user.id,
      user_name: at.user.name,
      command,
      text,
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      response_url: at.responseUrl,
      trigger_id: at.triggerId ?? this.newTriggerId(),
    });
    return this.sign(fields.toString(), FORM, fault);
  }

  /**
   * An Events API delivery. A retry is the same envelope (same event_id) with X-Slack-Retry-Num
   * and X-Slack-Retry-Reason; `eventId` lets a test send it again.
   */
  event(
    event: Record<string, unknown>,
    opts: { eventId?: string; eventTime?: number; retryNum?: number; retryReason?: string } = {},
    fault?: SignatureFault,
  ): SignedRequest & { eventId: string } {
    const eventId = opts.eventId ?? `Ev${String(Date.now()).slice(-8)}${String(++this.eventSeq).padStart(4, '0')}`;
    const envelope = {
      token: this.verificationToken,
      team_id: this.teamId,
      context_team_id: this.teamId,
      context_enterprise_id: null,
      api_app_id: this.apiAppId,
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: opts.eventTime ?? Math.floor(this.now().getTime() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
    };
    const retry: Record<string, string> =
      opts.retryNum === undefined ? {} : { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': opts.retryReason ?? 'http_timeout' };
    return { ...this.sign(JSON.stringify(envelope), JSON_TYPE, fault, retry), eventId };
  }

  /** reaction_added / reaction_removed on a message (sdk packages/types/src/events/reaction.ts). */
  reaction(
    type: 'reaction_added' | 'reaction_removed',
    r: { user: string; reaction: string; channel: string; ts: string; itemUser: string },
    opts: Parameters<SlackSigner['event']>[1] = {},
    fault?: SignatureFault,
  ): SignedRequest & { eventId: string } {
    const eventTs = `${Math.floor(this.now().getTime() / 1000)}.${String(this.now().getMilliseconds() * 1000).padStart(6, '0')}`;
    return this.event(
      { type, user: r.user, reaction: r.reaction, item_user: r.itemUser, item: { type: 'message', channel: r.channel, ts: r.ts }, event_ts: eventTs },
      opts,
      fault,
    );
  }

  /**
   * A modal's submission: the form field `payload` holding the view_submission JSON. `view` is the
   * view as opened (what views.open was given, or the fake's record of it) plus its id.
   */
  viewSubmission(
    v: { id: string; view: Record<string, unknown>; values: Record<string, Record<string, unknown>>; user: SlackUser },
    fault?: SignatureFault,
  ): SignedRequest {
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: this.teamDomain },
      user: { id: v.user.id, username: v.user.name, name: v.user.name, team_id: this.teamId },
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      trigger_id: this.newTriggerId(),
      view: {
        id: v.id,
        team_id: this.teamId,
        type: 'modal',
        blocks: v.view.blocks ?? [],
        private_metadata: v.view.private_metadata ?? '',
        callback_id: v.view.callback_id ?? '',
        state: { values: v.values },
        hash: `${Math.floor(this.now().getTime() / 1000)}.${randomBytes(4).toString('hex')}`,
        title: v.view.title,
        clear_on_close: false,
        notify_on_close: false,
        close: v.view.close ?? null,
        submit: v.view.submit ?? null,
        previous_view_id: null,
        root_view_id: v.id,
        app_id: this.apiAppId,
        external_id: '',
        app_installed_team_id: this.teamId,
        bot_id: this.botId,
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.sign(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, fault);
  }

  newTriggerId(): string {
    return `${Math.floor(this.now().getTime() / 1000)}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
  }
}

export interface BoltAnswer {
  status: number;
  body: string;
  headers: Headers;
}

/** Sends a signed request as Slack would: one POST to the Request URL, read to the end. */
export async function postToBolt(url: string, request: SignedRequest): Promise<BoltAnswer> {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
