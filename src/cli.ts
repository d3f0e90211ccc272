import { userInfo } from 'node:os';
import { describeConfigProblems, loadConfig, type Config } from './config.ts';
import { systemClock } from './core/clock.ts';
import { parseIncidentRef } from './core/incidents.ts';
import { loadIncidentRecord } from './core/record.ts';
import { createLogger } from './logging.ts';
import { startFirebell } from './main.ts';
import { StartupError } from './startup-error.ts';
import { POSTMORTEM_FORMATS, exportPostmortem, type PostmortemFormat } from './postmortem/export.ts';
import { MigrationError, loadMigrations, migrate } from './store/migrate.ts';
import { ensureTemplate } from './store/pglite-template.ts';
import { openDatabase } from './store/open.ts';
import { sqlStore } from './store/sql-store.ts';

const USAGE = `usage: firebell [run]                          start the bot (the shell when no chat is configured)
       firebell migrate                        apply database migrations and exit
       firebell export INC-n [--format md|json] print an incident's postmortem draft
       firebell template                       make the embedded database's migrated template (npm install runs it)
       firebell help                           this text`;

/** Exit codes: 0 done, 1 failed, 2 bad configuration or usage. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function requireConfig(): Config {
  const result = loadConfig(process.env);
  if (!result.ok) throw new CliError(describeConfigProblems(result.problems), 2);
  return result.config;
}

function logger(config: Config) {
  return createLogger({ level: config.LOG_LEVEL, pretty: Boolean(process.stdout.isTTY) });
}

async function run(): Promise<number> {
  const config = requireConfig();
  const log = logger(config);
  const interactive = Boolean(process.stdin.isTTY);
  const bot = await startFirebell(config, {
    clock: systemClock,
    log,
    shell: { input: process.stdin, output: process.stdout, interactive, user: { platform: 'shell', id: userInfo().username, name: userInfo().username } },
  });
  const stop = async () => {
    await bot.stop();
    return 0;
  };
  const signalled = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(stop()));
  });
  const finished = bot.shell ? bot.shell.finished.then(stop) : new Promise<number>(() => undefined);
  return Promise.race([signalled, finished]);
}

async function runMigrate(): Promise<number> {
  const config = requireConfig();
  const db = await openDatabase(config, logger(config), { migrate: false });
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'migrations are up to date\n');
  } finally {
    await db.close();
  }
  return 0;
}

async function runExport(args: string[]): Promise<number> {
  const [ref, ...rest] = args;
  const id = ref ? parseIncidentRef(ref) : null;
  if (id === null) throw new CliError(`firebell export: name an incident, e.g. INC-3\n${USAGE}`, 2);
  let format: PostmortemFormat = 'md';
  if (rest.length > 0) {
    const value = rest[0] === '--format' ? rest[1] : /^--format=(.*)$/.exec(rest[0] ?? '')?.[1];
    if (!POSTMORTEM_FORMATS.includes(value as PostmortemFormat)) {
      throw new CliError(`firebell export: --format is md or json\n${USAGE}`, 2);
    }
    format = value as PostmortemFormat;
  }
  const config = requireConfig();
  const db = await openDatabase(config, logger(config));
  try {
    const record = await loadIncidentRecord(sqlStore(db), id);
    if (!record) throw new CliError(`firebell export: INC-${id} does not exist`, 1);
    process.stdout.write(exportPostmortem(record, format, systemClock.now()).content);
  } finally {
    await db.close();
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'run', ...args] = argv;
  switch (command) {
    case 'run':
      return run();
    case 'migrate':
      return runMigrate();
    case 'export':
      return runExport(args);
    case 'template':
      process.stdout.write(`firebell: embedded database template at ${await ensureTemplate(await loadMigrations())}\n`);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      throw new CliError(`firebell: unknown command "${command}"\n${USAGE}`, 2);
  }
}

/** process.exit() drops whatever a pipe has not taken yet: a large export would be cut short. */
async function exitWhenFlushed(code: number): Promise<never> {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) await new Promise<void>((resolve) => stream.write('', () => resolve()));
  }
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return exitWhenFlushed(err.exitCode);
    }
    if (err instanceof MigrationError || err instanceof StartupError) {
      process.stderr.write(`firebell: ${err.message}\n`);
      return exitWhenFlushed(1);
    }
    process.stderr.write(`firebell: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return exitWhenFlushed(1);
  },
);
