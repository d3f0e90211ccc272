import pino, { type Logger } from 'pino';

/** Wherever these keys appear in a logged object, the value is replaced: secrets never reach logs. */
export const REDACTED_PATHS = [
  'DATABASE_URL',
  '*.DATABASE_URL',
  'connectionString',
  '*.connectionString',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'config.DATABASE_URL',
  'METRICS_TOKEN',
  '*.METRICS_TOKEN',
  'STATUS_WEBHOOK_SECRET',
  '*.STATUS_WEBHOOK_SECRET',
  'STATUSPAGE_API_KEY',
  '*.STATUSPAGE_API_KEY',
  'CACHET_TOKEN',
  '*.CACHET_TOKEN',
];

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (for a terminal) instead of JSON. */
  pretty: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    level: opts.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { name: 'firebell' },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}
