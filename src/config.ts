import { z } from 'zod';
import { parseDuration } from './core/duration.ts';
import { DEFAULT_NAG_POLICY, DEFAULT_STATUS_CADENCE, type StatusCadence } from './core/nag-policy.ts';
import { parsePersonRef } from './core/people.ts';
import { parseAllowList, type AllowRule } from './chat/irc/allow.ts';
import { isValidChannelName, parseChannelList } from './chat/irc/channel-name.ts';
import { parseZone, UTC_ZONE, type Zone } from './core/zone.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, { error: (iss) => `expected a port number, got "${String(iss.input)}"` })
  .transform(Number)
  .refine((n) => n <= 65_535, { error: (iss) => `expected a port number (0-65535), got "${String(iss.input)}"` });

const url = (schemes: readonly string[], example: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return schemes.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      // Never echo the value: a database URL carries its password.
      { error: `expected a URL like ${example}` },
    );

// pino's levels are lower case; operators write INFO as often as info.
const logLevel = z.string().transform((v, ctx): (typeof LOG_LEVELS)[number] => {
  const level = LOG_LEVELS.find((l) => l === v.trim().toLowerCase());
  if (level) return level;
  ctx.issues.push({ code: 'custom', message: `expected one of ${LOG_LEVELS.join(', ')}, got "${v}"`, input: v });
  return z.NEVER;
});

/** A switch: 1/0, true/false, yes/no, on/off, in any case. */
const flag = z.string().transform((v, ctx): boolean => {
  const word = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  ctx.issues.push({ code: 'custom', message: `expected 1 or 0 (true/false, yes/no, on/off), got "${v}"`, input: v });
  return z.NEVER;
});

const zone = z.string().transform((v, ctx): Zone => {
  const parsed = parseZone(v);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.error.message, input: v });
  return z.NEVER;
});

function readDuration(text: string, ctx: z.RefinementCtx, input: string): number {
  const d = parseDuration(text);
  if (d.ok) return d.value;
  ctx.issues.push({ code: 'custom', message: d.error.message, input });
  return 0;
}

/** `15m,30m,1h,2h,4h`: waits before each nag; the last one repeats. */
const durationList = z.string().transform((v, ctx): number[] => {
  const parts = v.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) {
    ctx.issues.push({ code: 'custom', message: `expected durations separated by commas, e.g. 15m,30m,1h,2h,4h; got "${v}"`, input: v });
    return z.NEVER;
  }
  const ms = parts.map((p) => readDuration(p, ctx, v));
  return ctx.issues.length > 0 ? z.NEVER : ms;
});

/** `5/24h`: fired this many times within this window without an ack is habitually ignored. */
const habitual = z.string().transform((v, ctx): { fires: number; windowMs: number } => {
  const m = /^\s*(\d{1,4})\s*\/\s*(\S+)\s*$/.exec(v);
  if (!m || Number(m[1]) < 2) {
    ctx.issues.push({ code: 'custom', message: `expected a count of at least 2 and a window, e.g. 5/24h; got "${v}"`, input: v });
    return z.NEVER;
  }
  const windowMs = readDuration(m[2]!, ctx, v);
  return ctx.issues.length > 0 ? z.NEVER : { fires: Number(m[1]), windowMs };
});

/** `sev1:30m,sev2:1h,sev3:4h`: a severity left out gets no status nag. */
const statusCadence = z.string().transform((v, ctx): StatusCadence => {
  const cadence: Record<1 | 2 | 3 | 4, number | null> = { 1: null, 2: null, 3: null, 4: null };
  for (const part of v.split(',')) {
    const m = /^\s*sev([1-4])\s*:\s*(\S+)\s*$/i.exec(part);
    if (!m) {
      ctx.issues.push({ code: 'custom', message: `expected sevN:duration pairs, e.g. sev1:30m,sev2:1h,sev3:4h; got "${v}"`, input: v });
      return z.NEVER;
    }
    cadence[Number(m[1]) as 1 | 2 | 3 | 4] = m[2]!.toLowerCase() === 'none' ? null : readDuration(m[2]!, ctx, v);
  }
  return ctx.issues.length > 0 ? z.NEVER : cadence;
});

/** `db=dana,checkout=@lee`: a label value → the person who owns warnings carrying it. */
const ownerMap = z.string().transform((v, ctx): ReadonlyMap<string, string> => {
  const owners = new Map<string, string>();
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    const value = part.slice(0, eq).trim();
    const person = part.slice(eq + 1).trim();
    if (eq < 0 || value === '' || !parsePersonRef(person)) {
      ctx.issues.push({ code: 'custom', message: `expected value=person pairs, e.g. db=dana,checkout=@lee; got "${part.trim()}"`, input: v });
      return z.NEVER;
    }
    owners.set(value, person);
  }
  return owners;
});

/** A shared secret the hooks' callers send as a Bearer token: long enough not to be guessed. */
const webhookToken = z
  .string()
  .refine((v) => /^[\x21-\x7e]{16,}$/.test(v), { error: 'expected at least 16 printable characters without spaces (e.g. `openssl rand -hex 32`)' });
const ircChannels = z.string().transform((v, ctx): string[] => {
  const parsed = parseChannelList(v);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.error.message, input: v });
  return z.NEVER;
});

const ircAllow = z.string().transform((v, ctx): AllowRule[] => {
  const parsed = parseAllowList(v);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.error.message, input: v });
  return z.NEVER;
});

// RFC 2812's nick: a letter or one of []\`_^{|}, then those, digits and dashes.
const ircNick = z
  .string()
  .trim()
  .regex(/^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/, {
    error: (iss) => `expected an IRC nick (a letter first, at most 30 characters, no spaces), got "${String(iss.input)}"`,
  });

const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;

// One name for every platform: `#ops` is that channel on IRC and on Slack; a Slack id is Slack's only.
const opsChannel = z
  .string()
  .trim()
  .refine((v) => isValidChannelName(v) || SLACK_CHANNEL_ID.test(v), {
    error: (iss) => `expected a channel name like #ops (or a Slack channel id), got "${String(iss.input)}"`,
  });

/**
 * The environment firebell reads (DESIGN §7). Every variable is listed in .env.example and the
 * README. An empty variable counts as unset.
 */
const schema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://user:password@host:5432/firebell').optional(),
  DATA_DIR: z.string().default('./data'),
  HTTP_PORT: port.default(3000),
  PUBLIC_URL: url(['http', 'https'], 'https://firebell.example.com').transform((u) => u.replace(/\/+$/, '')).optional(),
  FIREBELL_TZ: zone.default(() => UTC_ZONE),
  /** With a chat platform configured, also read commands from the terminal. */
  FIREBELL_SHELL: flag.default(false),
  LOG_LEVEL: logLevel.default('info'),
  NAG_SCHEDULE: durationList.default(() => [...DEFAULT_NAG_POLICY.scheduleMs]),
  NAG_HABITUAL: habitual.default({ fires: DEFAULT_NAG_POLICY.habitualFires, windowMs: DEFAULT_NAG_POLICY.habitualWindowMs }),
  STATUS_CADENCE: statusCadence.default(() => DEFAULT_STATUS_CADENCE),
  WARNING_OWNERS: ownerMap.default(() => new Map<string, string>()),
  /** Unset: the hooks are off (404), never open. */
  WEBHOOK_TOKEN: webhookToken.optional(),
  /** Where announcements and nags go, on each platform that has a channel of that name. */
  OPS_CHANNEL: opsChannel.optional(),
  /** Set: firebell joins this IRC server. */
  IRC_HOST: z.string().trim().optional(),
  /** Default 6697 with TLS, else 6667 (filled in below). */
  IRC_PORT: port.optional(),
  IRC_NICK: ircNick.default('firebell'),
  IRC_TLS: flag.default(false),
  IRC_SASL_ACCOUNT: z.string().trim().optional(),
  IRC_SASL_PASSWORD: z.string().optional(),
  IRC_CHANNELS: ircChannels.default([]),
  /** Unset: everyone in the bot's channels may change incidents. */
  IRC_ALLOW: ircAllow.optional(),
  /** Slack switches on with both of these (DESIGN §7); one without the other is refused below. */
  SLACK_BOT_TOKEN: z.string().trim().regex(/^xoxb-\S+$/, { error: 'expected a bot token starting with xoxb-' }).optional(),
  SLACK_SIGNING_SECRET: z.string().trim().regex(/^\S+$/, { error: 'expected the signing secret from the app\'s Basic Information page' }).optional(),
  /** Socket Mode instead of the HTTP receiver. */
  SLACK_APP_TOKEN: z.string().trim().regex(/^xapp-\S+$/, { error: 'expected an app-level token starting with xapp-' }).optional(),
  /** Another Web API base: GovSlack, a proxy, or a test's fake. */
  SLACK_API_URL: url(['http', 'https'], 'https://slack.com/api/').transform((u) => (u.endsWith('/') ? u : `${u}/`)).optional(),
  /** Reacting with this emoji puts a message on the timeline. */
  SLACK_TIMELINE_EMOJI: z
    .string()
    .trim()
    .transform((v) => v.replace(/^:|:$/g, ''))
    .pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, { error: 'expected an emoji name like pushpin' }))
    .default('pushpin'),
  /** Bearer token Prometheus sends to scrape GET /metrics; unset, /metrics is not served. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (a random token, as Prometheus sends it)').optional(),
  /** The static status site (always on); default DATA_DIR/status-site. */
  STATUS_SITE_DIR: z.string().optional(),
  STATUS_WEBHOOK_URL: url(['http', 'https'], 'https://hooks.example.com/firebell').optional(),
  STATUS_WEBHOOK_SECRET: z.string().optional(),
  STATUSPAGE_API_KEY: z.string().trim().optional(),
  STATUSPAGE_PAGE_ID: z.string().trim().regex(/^[A-Za-z0-9]+$/, { error: 'expected a page id like gytm4qzbx9t6' }).optional(),
  STATUSPAGE_API_URL: url(['http', 'https'], 'https://api.statuspage.io/v1').default('https://api.statuspage.io/v1'),
  /** Components every incident affects, comma-separated. */
  STATUSPAGE_COMPONENT_IDS: z
    .string()
    .transform((v) => v.split(',').map((id) => id.trim()).filter((id) => id !== ''))
    .default([]),
  CACHET_URL: url(['http', 'https'], 'https://status.example.com').optional(),
  CACHET_TOKEN: z.string().trim().optional(),
});

/** Settings that only mean something together: setting one without the others is a mistake worth stopping for. */
const TOGETHER: readonly (readonly string[])[] = [
  ['STATUS_WEBHOOK_URL', 'STATUS_WEBHOOK_SECRET'],
  ['STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID'],
  ['CACHET_URL', 'CACHET_TOKEN'],
];

export type Config = Omit<z.output<typeof schema>, 'IRC_PORT'> & { IRC_PORT: number };

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Reads the environment. The only reader of process.env: everything else is handed a Config. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(present);
  const problems = new Map<string, string>();
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = String(issue.path[0] ?? 'environment');
    if (!problems.has(name)) problems.set(name, `${name}: ${issue.message}`);
  }
  // Variables that are each fine but do not go together; checked even when others are bad.
  const httpPort = port.safeParse(present.HTTP_PORT ?? '3000');
  if (present.PUBLIC_URL && httpPort.success && httpPort.data === 0 && !problems.has('PUBLIC_URL')) {
    problems.set('PUBLIC_URL', 'PUBLIC_URL: links would point at the HTTP server, but HTTP_PORT=0 turns it off');
  }
  // SASL needs both halves; a half-set pair would silently connect without logging in.
  for (const [name, other] of [
    ['IRC_SASL_ACCOUNT', 'IRC_SASL_PASSWORD'],
    ['IRC_SASL_PASSWORD', 'IRC_SASL_ACCOUNT'],
  ] as const) {
    if (present[name] && !present[other] && !problems.has(name)) problems.set(name, `${name}: set ${other} too, or neither`);
  }
  for (const name of ['IRC_PORT', 'IRC_NICK', 'IRC_TLS', 'IRC_SASL_ACCOUNT', 'IRC_CHANNELS', 'IRC_ALLOW'] as const) {
    if (present[name] && !present.IRC_HOST && !problems.has(name)) problems.set(name, `${name}: IRC is off until IRC_HOST is set`);
  }
  for (const [name, other] of [
    ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'],
    ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'],
    ['SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'],
  ] as const) {
    if (present[name] && !present[other] && !problems.has(name)) problems.set(name, `${name}: Slack also needs ${other}`);
  }
  if (present.SLACK_BOT_TOKEN && !present.SLACK_APP_TOKEN && httpPort.success && httpPort.data === 0 && !problems.has('SLACK_BOT_TOKEN')) {
    problems.set('SLACK_BOT_TOKEN', 'SLACK_BOT_TOKEN: Slack sends its events to the HTTP server, but HTTP_PORT=0 turns it off (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  for (const group of TOGETHER) {
    const missing = group.filter((name) => present[name] === undefined);
    if (missing.length === 0 || missing.length === group.length) continue;
    const set = group.filter((name) => present[name] !== undefined);
    for (const name of missing) {
      if (!problems.has(name)) problems.set(name, `${name}: must be set with ${set.join(' and ')}`);
    }
  }
  if (parsed.success && problems.size === 0) {
    const config = parsed.data;
    return { ok: true, config: { ...config, IRC_PORT: config.IRC_PORT ?? (config.IRC_TLS ? 6697 : 6667) } };
  }
  return { ok: false, problems: [...problems.values()] };
}

/** The message an operator sees for a bad configuration: every problem at once, no stack trace. */
export function describeConfigProblems(problems: readonly string[]): string {
  return ['firebell: the configuration is not valid:', ...problems.map((p) => `  ${p}`), 'See .env.example for every variable.'].join('\n');
}
