/**
 * The arguments of each Web API method firebell calls, as Slack documents them on
 * https://docs.slack.dev/reference/methods/<method> (scraped 2026-05 by smstoslack/slack_kit
 * @ a1294c4e0b, priv/docs/methods/*.json), plus the ID patterns of slackapi/slack-api-specs
 * (web-api/slack_web_openapi_v2.json `definitions`). Only what firebell needs is copied here.
 *
 * A value that breaks a rule is answered the way Slack answers it: the method's own error code where
 * its page names one (`channel_not_found`, `no_user`, `too_long`, `invalid_name_specials`, …), else
 * `invalid_arguments` with a `[ERROR] …` line in `response_metadata.messages`.
 */
import { checkBlocks, checkView } from './block-kit.ts';

export const ID_PATTERNS = {
  channel: /^[CGD][A-Z0-9]{8,}$/,
  user: /^[UW][A-Z0-9]{2,}$/,
  bot: /^B[A-Z0-9]{8,}$/,
  team: /^T[A-Z0-9]{2,}$/,
  ts: /^\d{10}\.\d{6}$/,
  // views.open: 'The expected format for the trigger_id argument is "132456.7890123.abcdef"'.
  triggerId: /^\d+\.\d+\.[0-9a-f]+$/,
} as const;

export type ArgKind =
  | 'string'
  | 'boolean'
  | 'integer'
  /** A conversation ID. */
  | 'channel-id'
  /** chat.postMessage: "an encoded ID or channel name". */
  | 'channel-id-or-name'
  | 'user-id'
  /** conversations.invite: "A comma separated list of user IDs. Up to 100 users may be listed." */
  | 'user-ids'
  | 'ts'
  /** "A JSON-based array of structured blocks, presented as a URL-encoded string." */
  | 'blocks'
  | 'view'
  | 'json-array'
  | 'json-object';

export interface ArgRule {
  kind: ArgKind;
  required?: boolean;
  /** The error when the argument is absent (default `invalid_arguments`). */
  missing?: string;
  /** The error when it has the wrong type or shape (default `invalid_arguments`). */
  malformed?: string;
  /** The longest accepted string, in characters, and the error beyond it. */
  maxLength?: { max: number; error: string };
}

export interface MethodRules {
  args: Record<string, ArgRule>;
  /** At least one of these must be given, else `error`. */
  oneOf?: { names: string[]; error: string }[];
  /** These may not be given together: `markdown_text` with `text` or `blocks`. */
  exclusive?: { names: [string, string[]]; error: string }[];
}

const channel: ArgRule = { kind: 'channel-id', required: true, missing: 'channel_not_found', malformed: 'channel_not_found' };
const bool: ArgRule = { kind: 'boolean' };
const text: ArgRule = { kind: 'string' };
const blocks: ArgRule = { kind: 'blocks', malformed: 'invalid_blocks_format' };
const historyWindow = {
  latest: { kind: 'ts', malformed: 'invalid_ts_latest' },
  oldest: { kind: 'ts', malformed: 'invalid_ts_oldest' },
  inclusive: bool,
  limit: { kind: 'integer' },
  cursor: text,
  include_all_metadata: bool,
} satisfies Record<string, ArgRule>;
const messageContent = {
  text,
  blocks,
  attachments: { kind: 'json-array', malformed: 'invalid_attachments' },
  markdown_text: { kind: 'string', maxLength: { max: 12_000, error: 'msg_too_long' } },
  metadata: { kind: 'json-object', malformed: 'invalid_metadata_format' },
  parse: text,
  link_names: bool,
  mrkdwn: bool,
} satisfies Record<string, ArgRule>;
const needsContent = [{ names: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' }];
const markdownAlone: MethodRules['exclusive'] = [{ names: ['markdown_text', ['text', 'blocks']], error: 'markdown_text_conflict' }];

export const METHOD_RULES: Record<string, MethodRules> = {
  'auth.test': { args: {} },
  // "Channel names may only contain lowercase letters, numbers, hyphens, and underscores, and must
  // be 80 characters or less": the checks and their codes are in checkChannelName below.
  // Socket Mode: takes no arguments; only an app-level token (xapp-) may call it.
  'apps.connections.open': { args: {} },
  'conversations.create': { args: { name: { kind: 'string' }, is_private: bool, team_id: text } },
  'conversations.invite': {
    args: { channel, users: { kind: 'user-ids', required: true, missing: 'no_user', malformed: 'user_not_found' }, force: bool },
  },
  'conversations.setTopic': {
    args: { channel, topic: { kind: 'string', required: true, maxLength: { max: 250, error: 'too_long' } } },
  },
  'conversations.setPurpose': {
    args: { channel, purpose: { kind: 'string', required: true, maxLength: { max: 250, error: 'too_long' } } },
  },
  'conversations.join': { args: { channel } },
  'conversations.archive': { args: { channel } },
  'conversations.info': { args: { channel, include_locale: bool, include_num_members: bool } },
  'conversations.history': { args: { channel, ...historyWindow } },
  'conversations.replies': {
    args: { channel, ts: { kind: 'ts', required: true, missing: 'thread_not_found', malformed: 'thread_not_found' }, ...historyWindow },
  },
  'chat.postMessage': {
    args: {
      channel: { ...channel, kind: 'channel-id-or-name' },
      ...messageContent,
      thread_ts: { kind: 'ts' },
      reply_broadcast: bool,
      unfurl_links: bool,
      unfurl_media: bool,
      username: text,
      icon_emoji: text,
      icon_url: text,
    },
    oneOf: needsContent,
    exclusive: markdownAlone,
  },
  'chat.update': {
    args: { channel, ts: { kind: 'ts', required: true, missing: 'message_not_found', malformed: 'message_not_found' }, ...messageContent, reply_broadcast: bool, file_ids: { kind: 'json-array' } },
    oneOf: needsContent,
    exclusive: markdownAlone,
  },
  'chat.postEphemeral': {
    args: {
      channel: { ...channel, kind: 'channel-id-or-name' },
      user: { kind: 'user-id', required: true, missing: 'user_not_in_channel', malformed: 'user_not_in_channel' },
      ...messageContent,
      thread_ts: { kind: 'ts' },
      username: text,
      icon_emoji: text,
      icon_url: text,
    },
    oneOf: needsContent,
    exclusive: markdownAlone,
  },
  'pins.add': {
    args: { channel, timestamp: { kind: 'ts', required: true, missing: 'no_item_specified', malformed: 'bad_timestamp' } },
  },
  // The docs' prose says "a `url`", but the argument is `link`; `type` accepts only "link".
  'bookmarks.add': {
    args: {
      channel_id: channel,
      title: { kind: 'string', required: true },
      type: { kind: 'string', required: true, missing: 'invalid_bookmark_type' },
      link: { kind: 'string' },
      emoji: text,
      entity_id: text,
      parent_id: text,
      access_level: text,
    },
  },
  'users.info': {
    args: { user: { kind: 'user-id', required: true, missing: 'user_not_found', malformed: 'user_not_found' }, include_locale: bool },
  },
  'views.open': {
    args: { trigger_id: text, interactivity_pointer: text, view: { kind: 'view', required: true } },
    oneOf: [{ names: ['trigger_id', 'interactivity_pointer'], error: 'invalid_trigger_id' }],
  },
  // The docs name the argument `alt_txt`; @slack/web-api sends `alt_text`. Both are accepted.
  'files.getUploadURLExternal': {
    args: {
      filename: { kind: 'string', required: true },
      length: { kind: 'integer', required: true },
      alt_txt: { kind: 'string', maxLength: { max: 1000, error: 'alt_txt_too_large' } },
      alt_text: { kind: 'string', maxLength: { max: 1000, error: 'alt_txt_too_large' } },
      snippet_type: text,
    },
  },
  'files.completeUploadExternal': {
    args: {
      files: { kind: 'json-array', required: true },
      channel_id: { kind: 'channel-id', malformed: 'channel_not_found' },
      channels: text,
      thread_ts: { kind: 'ts' },
      initial_comment: text,
      blocks: { kind: 'blocks', malformed: 'invalid_blocks' },
    },
  },
};

export type ArgCheck =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; error: string; messages: string[] };

const fail = (error: string, message: string): ArgCheck => ({ ok: false, error, messages: [`[ERROR] ${message}`] });

/**
 * The same checks, in Slack's order, for `conversations.create`'s `name`:
 * empty, too long, a character outside [a-z0-9_-] (upper case included), punctuation only.
 */
export function checkChannelName(name: unknown): { ok: true } | { ok: false; error: string } {
  if (typeof name !== 'string' || name === '') return { ok: false, error: 'invalid_name_required' };
  if ([...name].length > 80) return { ok: false, error: 'invalid_name_maxlength' };
  if (!/^[a-z0-9_-]+$/.test(name)) return { ok: false, error: 'invalid_name_specials' };
  if (!/[a-z0-9]/.test(name)) return { ok: false, error: 'invalid_name_punctuation' };
  return { ok: true };
}

/** Decodes one argument to its type (form values arrive as strings, JSON values as themselves). */
function decode(kind: ArgKind, value: unknown): { ok: true; value: unknown } | { ok: false; why: string; error?: string } {
  const str = typeof value === 'string' ? value : null;
  switch (kind) {
    case 'string':
      return str !== null ? { ok: true, value: str } : { ok: false, why: 'must be a string' };
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (str === 'true' || str === '1') return { ok: true, value: true };
      if (str === 'false' || str === '0') return { ok: true, value: false };
      return { ok: false, why: 'must be a boolean' };
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (str !== null && /^-?\d+$/.test(str)) return { ok: true, value: Number(str) };
      return { ok: false, why: 'must be an integer' };
    case 'channel-id':
      return str !== null && ID_PATTERNS.channel.test(str) ? { ok: true, value: str } : { ok: false, why: 'must be a conversation ID' };
    case 'channel-id-or-name':
      return str !== null && (ID_PATTERNS.channel.test(str) || /^#?[a-z0-9_-]{1,80}$/.test(str))
        ? { ok: true, value: str }
        : { ok: false, why: 'must be a conversation ID or name' };
    case 'user-id':
      return str !== null && ID_PATTERNS.user.test(str) ? { ok: true, value: str } : { ok: false, why: 'must be a user ID' };
    case 'user-ids': {
      if (str === null || str === '') return { ok: false, why: 'must be a comma separated list of user IDs' };
      const ids = str.split(',');
      if (ids.length > 100) return { ok: false, why: 'may list up to 100 users', error: 'invalid_arguments' };
      return ids.every((id) => ID_PATTERNS.user.test(id)) ? { ok: true, value: ids } : { ok: false, why: 'must be a comma separated list of user IDs' };
    }
    case 'ts':
      return str !== null && ID_PATTERNS.ts.test(str) ? { ok: true, value: str } : { ok: false, why: 'must be a message timestamp like 1405894322.002768' };
    case 'blocks':
    case 'view':
    case 'json-array':
    case 'json-object': {
      let parsed = value;
      if (str !== null) {
        try {
          parsed = JSON.parse(str);
        } catch {
          return { ok: false, why: 'must be valid JSON' };
        }
      }
      const wantArray = kind === 'blocks' || kind === 'json-array';
      if (wantArray ? !Array.isArray(parsed) : parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { ok: false, why: wantArray ? 'must be a JSON array' : 'must be a JSON object' };
      }
      return { ok: true, value: parsed };
    }
  }
}

const isGiven = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * Checks `raw` against the method's rules. Returns the arguments decoded to their types (unknown
 * arguments, like the `team_id` Bolt adds, are kept as they came), or the error Slack would give.
 */
export function checkArgs(method: string, raw: Record<string, unknown>): ArgCheck {
  const rules = METHOD_RULES[method];
  if (!rules) return fail('unknown_method', `unknown method ${method}`);
  const args: Record<string, unknown> = { ...raw };
  for (const [name, rule] of Object.entries(rules.args)) {
    const value = raw[name];
    if (value === undefined || value === null || (value === '' && rule.kind !== 'string')) {
      delete args[name];
      if (rule.required) return fail(rule.missing ?? 'invalid_arguments', `missing required field: ${name}`);
      continue;
    }
    const decoded = decode(rule.kind, value);
    if (!decoded.ok) return fail(decoded.error ?? rule.malformed ?? 'invalid_arguments', `${name} ${decoded.why} [json-pointer:/${name}]`);
    if (rule.maxLength && typeof decoded.value === 'string' && [...decoded.value].length > rule.maxLength.max) {
      return fail(rule.maxLength.error, `${name} must be at most ${rule.maxLength.max} characters [json-pointer:/${name}]`);
    }
    args[name] = decoded.value;
  }
  for (const { names, error } of rules.oneOf ?? []) {
    if (!names.some((n) => isGiven(args[n]))) return fail(error, `one of ${names.join(', ')} is required`);
  }
  for (const { names: [alone, others], error } of rules.exclusive ?? []) {
    if (isGiven(args[alone]) && others.some((n) => isGiven(args[n]))) return fail(error, `${alone} cannot be used with ${others.join(' or ')}`);
  }
  const blockProblem = Array.isArray(args.blocks) ? checkBlocks(args.blocks, '/blocks') : null;
  if (blockProblem) return fail('invalid_blocks', blockProblem);
  if (args.view !== undefined) {
    const viewProblem = checkView(args.view as Record<string, unknown>);
    if (viewProblem) return fail('invalid_arguments', viewProblem);
  }
  return { ok: true, args };
}
