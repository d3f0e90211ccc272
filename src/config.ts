import { z } from 'zod';
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

export type Config = z.output<typeof schema>;

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
  for (const group of TOGETHER) {
    const missing = group.filter((name) => present[name] === undefined);
    if (missing.length === 0 || missing.length === group.length) continue;
    const set = group.filter((name) => present[name] !== undefined);
    for (const name of missing) {
      if (!problems.has(name)) problems.set(name, `${name}: must be set with ${set.join(' and ')}`);
    }
  }
  if (parsed.success && problems.size === 0) return { ok: true, config: parsed.data };
  return { ok: false, problems: [...problems.values()] };
}

/** The message an operator sees for a bad configuration: every problem at once, no stack trace. */
export function describeConfigProblems(problems: readonly string[]): string {
  return ['firebell: the configuration is not valid:', ...problems.map((p) => `  ${p}`), 'See .env.example for every variable.'].join('\n');
}
