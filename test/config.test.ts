import { describe, expect, test } from 'vitest';
import { runFirebell } from './support/cli.ts';
import { describeConfigProblems, loadConfig, type ConfigResult } from '../src/config.ts';


function configOf(r: ConfigResult) {
  if (!r.ok) throw new Error(`expected a valid configuration, got:\n${r.problems.join('\n')}`);
  return r.config;
}

function problemsOf(r: ConfigResult): string[] {
  return r.ok ? [] : r.problems;
}

describe('loadConfig', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = configOf(loadConfig({}));
    expect(config).toMatchObject({
      DATA_DIR: './data',
      HTTP_PORT: 3000,
      FIREBELL_TZ: { name: 'UTC', fixedOffsetMinutes: 0 },
      LOG_LEVEL: 'info',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PUBLIC_URL).toBeUndefined();
  });

  test("variables that are not firebell's are ignored", () => {
    expect(configOf(loadConfig({ PATH: '/usr/bin', HOME: '/root', TERM: 'xterm' })).HTTP_PORT).toBe(3000);
  });

  test('good values are read: a Postgres URL, a port, a zone, a level and a public URL', () => {
    expect(
      configOf(
        loadConfig({
          DATABASE_URL: 'postgresql://firebell:s3cret@db.internal:5432/firebell',
          DATA_DIR: '/var/lib/firebell',
          HTTP_PORT: ' 8080 ',
          FIREBELL_TZ: 'Europe/Berlin',
          LOG_LEVEL: 'debug',
          PUBLIC_URL: 'https://firebell.example.com//',
        }),
      ),
    ).toMatchObject({
      DATABASE_URL: 'postgresql://firebell:s3cret@db.internal:5432/firebell',
      DATA_DIR: '/var/lib/firebell',
      HTTP_PORT: 8080,
      FIREBELL_TZ: { name: 'Europe/Berlin', fixedOffsetMinutes: null },
      LOG_LEVEL: 'debug',
      PUBLIC_URL: 'https://firebell.example.com',
    });
  });

  test('a zone abbreviation is read with its fixed offset', () => {
    expect(configOf(loadConfig({ FIREBELL_TZ: 'mst' })).FIREBELL_TZ).toEqual({ name: 'MST', fixedOffsetMinutes: -420 });
  });

  test('LOG_LEVEL is read in any case, with spaces around it', () => {
    expect(configOf(loadConfig({ LOG_LEVEL: 'INFO' })).LOG_LEVEL).toBe('info');
    expect(configOf(loadConfig({ LOG_LEVEL: ' Debug ' })).LOG_LEVEL).toBe('debug');
    expect(problemsOf(loadConfig({ LOG_LEVEL: 'LOUD' }))).toEqual(['LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "LOUD"']);
  });

  test('HTTP_PORT=0 is allowed: it turns the HTTP server off', () => {
    expect(configOf(loadConfig({ HTTP_PORT: '0' })).HTTP_PORT).toBe(0);
  });

  test('an empty or blank variable counts as unset', () => {
    const config = configOf(
      loadConfig({ DATABASE_URL: '', HTTP_PORT: '', FIREBELL_TZ: '   ', LOG_LEVEL: '', PUBLIC_URL: ' ', DATA_DIR: '' }),
    );
    expect(config).toMatchObject({ DATA_DIR: './data', HTTP_PORT: 3000, FIREBELL_TZ: { name: 'UTC' }, LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PUBLIC_URL).toBeUndefined();
  });

  test('every bad variable is reported at once, one line each', () => {
    expect(
      problemsOf(
        loadConfig({
          HTTP_PORT: 'abc',
          FIREBELL_TZ: 'Mars/Olympus_Mons',
          LOG_LEVEL: 'loud',
          DATABASE_URL: 'mysql://root:hunter2@db/firebell',
          PUBLIC_URL: 'ftp://firebell.example.com',
        }),
      ).sort(),
    ).toEqual([
      'DATABASE_URL: expected a URL like postgres://user:password@host:5432/firebell',
      'FIREBELL_TZ: unknown time zone "Mars/Olympus_Mons": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
      'HTTP_PORT: expected a port number, got "abc"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'PUBLIC_URL: expected a URL like https://firebell.example.com',
    ]);
  });

  test('a port above 65535 or below 0 is refused', () => {
    expect(problemsOf(loadConfig({ HTTP_PORT: '70000' }))).toEqual(['HTTP_PORT: expected a port number (0-65535), got "70000"']);
    expect(problemsOf(loadConfig({ HTTP_PORT: '-1' }))).toEqual(['HTTP_PORT: expected a port number, got "-1"']);
  });

  test('an ambiguous zone abbreviation is refused with a way out', () => {
    expect(problemsOf(loadConfig({ FIREBELL_TZ: 'IST' }))).toEqual([
      'FIREBELL_TZ: ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30',
    ]);
  });

  test('a DATABASE_URL that is not a Postgres URL is refused without echoing it, since it may hold a password', () => {
    for (const value of ['mysql://root:hunter2@db/firebell', 'hunter2', 'db.internal:5432 password=hunter2']) {
      const problems = problemsOf(loadConfig({ DATABASE_URL: value }));
      expect(problems).toEqual(['DATABASE_URL: expected a URL like postgres://user:password@host:5432/firebell']);
      expect(describeConfigProblems(problems)).not.toContain('hunter2');
    }
  });

  test('PUBLIC_URL with HTTP_PORT=0 is refused: its links would point at a server that is off', () => {
    expect(problemsOf(loadConfig({ PUBLIC_URL: 'https://firebell.example.com', HTTP_PORT: '0' }))).toEqual([
      'PUBLIC_URL: links would point at the HTTP server, but HTTP_PORT=0 turns it off',
    ]);
  });

  test('a status target half set up is refused, naming the variable that is missing', () => {
    expect(problemsOf(loadConfig({ STATUS_WEBHOOK_URL: 'https://hooks.example.com/firebell' }))).toEqual([
      'STATUS_WEBHOOK_SECRET: must be set with STATUS_WEBHOOK_URL',
    ]);
    expect(problemsOf(loadConfig({ STATUS_WEBHOOK_SECRET: 's3cret' }))).toEqual(['STATUS_WEBHOOK_URL: must be set with STATUS_WEBHOOK_SECRET']);
    const both = loadConfig({ STATUS_WEBHOOK_URL: 'https://hooks.example.com/firebell', STATUS_WEBHOOK_SECRET: 's3cret' });
    expect(both.ok).toBe(true);
  });

  test('PUBLIC_URL with HTTP_PORT=0 is reported together with the other bad variables', () => {
    expect(problemsOf(loadConfig({ PUBLIC_URL: 'https://firebell.example.com', HTTP_PORT: '0', LOG_LEVEL: 'loud' })).sort()).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'PUBLIC_URL: links would point at the HTTP server, but HTTP_PORT=0 turns it off',
    ]);
  });
});

describe('describeConfigProblems', () => {
  test('says the configuration is not valid, lists each problem indented, and points at .env.example', () => {
    expect(describeConfigProblems(['HTTP_PORT: expected a port number, got "abc"', 'LOG_LEVEL: bad'])).toBe(
      [
        'firebell: the configuration is not valid:',
        '  HTTP_PORT: expected a port number, got "abc"',
        '  LOG_LEVEL: bad',
        'See .env.example for every variable.',
      ].join('\n'),
    );
  });
});


describe('firebell started with a bad configuration', () => {
  const badEnv = {
    HTTP_PORT: 'abc',
    FIREBELL_TZ: 'Mars/Olympus_Mons',
    DATABASE_URL: 'mysql://root:hunter2@db/firebell',
  };

  test.each([[[]], [['migrate']], [['export', 'INC-1']]])(
    'firebell %j exits with status 2, names every bad variable on stderr, and shows no stack trace',
    async (args) => {
      const run = await runFirebell(args, badEnv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('firebell: the configuration is not valid:');
      expect(lines.slice(1, -1).sort()).toEqual([
        '  DATABASE_URL: expected a URL like postgres://user:password@host:5432/firebell',
        '  FIREBELL_TZ: unknown time zone "Mars/Olympus_Mons": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
        '  HTTP_PORT: expected a port number, got "abc"',
      ]);
      expect(lines.at(-1)).toBe('See .env.example for every variable.');
      expect(run.stderr).not.toContain('    at ');
      expect(run.stderr).not.toContain('hunter2');
    },
  );
});

describe('warning and nag settings', () => {
  test('the defaults are the documented schedule, 5/24h, the severities\' cadence and no token', () => {
    const config = configOf(loadConfig({}));
    expect(config.NAG_SCHEDULE).toEqual([15, 30, 60, 120, 240].map((m) => m * 60_000));
    expect(config.NAG_HABITUAL).toEqual({ fires: 5, windowMs: 86_400_000 });
    expect(config.STATUS_CADENCE).toEqual({ 1: 1_800_000, 2: 3_600_000, 3: 14_400_000, 4: null });
    expect(config.WEBHOOK_TOKEN).toBeUndefined();
  });

  test('durations down to seconds are accepted, for a demo', () => {
    const config = configOf(
      loadConfig({ NAG_SCHEDULE: '10s,20s', NAG_HABITUAL: '3/2m', STATUS_CADENCE: 'sev1:30s,sev3:none', WARNING_OWNERS: 'db=dana, checkout=@lee' }),
    );
    expect(config.NAG_SCHEDULE).toEqual([10_000, 20_000]);
    expect(config.NAG_HABITUAL).toEqual({ fires: 3, windowMs: 120_000 });
    expect(config.STATUS_CADENCE).toEqual({ 1: 30_000, 2: null, 3: null, 4: null });
    expect([...config.WARNING_OWNERS]).toEqual([
      ['db', 'dana'],
      ['checkout', '@lee'],
    ]);
  });

  test('bad values are each named, and the token is never echoed', () => {
    const result = loadConfig({
      NAG_SCHEDULE: '15m,,1h',
      NAG_HABITUAL: 'often',
      STATUS_CADENCE: 'sev5:1h',
      WARNING_OWNERS: 'db',
      WEBHOOK_TOKEN: 'short-secret',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(['NAG_SCHEDULE', 'NAG_HABITUAL', 'STATUS_CADENCE', 'WARNING_OWNERS', 'WEBHOOK_TOKEN']);
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  test('a bad duration in the schedule says what a good one looks like', () => {
    const result = loadConfig({ NAG_SCHEDULE: '15m,soon' });
    expect(result.ok ? [] : result.problems).toEqual(['NAG_SCHEDULE: bad duration "soon": use a number and s, m, h or d, e.g. 15m or 1h30m']);
  });
});
