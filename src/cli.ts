import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { describeConfigProblems, loadConfig, type Config } from './config.ts';
import { askControlChannel, type ControlRequest, type ControlResponse } from './control/channel.ts';
import { exportRequest } from './control/requests.ts';
import { systemClock } from './core/clock.ts';
import { parseIncidentRef } from './core/incidents.ts';
import { incidentRef } from './core/model.ts';
import { openIncidentRecord } from './core/record.ts';
import { createLogger } from './logging.ts';
import { StartupError } from './startup-error.ts';
import { POSTMORTEM_FORMATS, streamPostmortem, type PostmortemFormat } from './postmortem/export.ts';
import { writeChunks, writeFileAtomically } from './postmortem/sink.ts';
import { CLI_DELIVERIES_SHOWN, deliveryLines } from './status/describe-delivery.ts';
import { describeHolder, lockDataDir, type LockHolder } from './store/data-dir-lock.ts';
import { readJournalContents, setAsideCommandsPath } from './store/journal.ts';
import { describeJournal } from './store/journal-listing.ts';
import { MigrationError, loadMigrations, migrate } from './store/migrate.ts';
import { ensureTemplate } from './store/pglite-template.ts';
import { openDatabase } from './store/open.ts';
import { sqlStore } from './store/sql-store.ts';

const USAGE = `usage: firebell [run]                          start the bot (the shell when no chat is configured)
       firebell migrate                        apply database migrations and exit
       firebell export INC-n [--format md|json] [--out FILE]
                                               print an incident's postmortem draft, or write it to FILE
       firebell journal                        list commands waiting in the local journal, and those set aside
       firebell deliveries                     list status-page deliveries pending and dead
       firebell template                       make the embedded database's migrated template (npm install runs it)
       firebell help                           this text`;

/** A stop (SIGTERM) finishes within this, leaving the rest durable for the next start. */
const STOP_BUDGET_MS = 9_000;

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
  // Loaded here, not at the top: export and migrate need none of the bot, and a large export's
  // peak memory is counted from what is loaded.
  const { startFirebell } = await import('./main.ts');
  const bot = await startFirebell(config, {
    clock: systemClock,
    log,
    shell: { input: process.stdin, output: process.stdout, interactive, user: { platform: 'shell', id: userInfo().username, name: userInfo().username } },
  });
  const stopped = new Promise<number>((resolve) => {
    let asked = false;
    const stop = () => {
      if (asked) return;
      asked = true;
      // What was acknowledged is durable already (committed, or in the fsync'd journal), so a stop
      // that overruns its budget may end the process: the next start finishes the work.
      const budget = setTimeout(() => {
        log.warn({ budgetMs: STOP_BUDGET_MS }, 'stop budget spent: exiting now; the next start delivers what is left');
        resolve(0);
      }, STOP_BUDGET_MS);
      budget.unref();
      bot.stop().then(
        () => resolve(0),
        (err: unknown) => {
          log.error({ err }, 'stop failed');
          resolve(1);
        },
      );
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (!asked) {
        log.info({ signal }, 'stopping: no new commands; finishing the ones taken');
        return stop();
      }
      // Asked twice: the operator means now. Nothing acknowledged is lost (see above).
      log.warn({ signal }, 'stopping at once');
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
    // Alone, the shell is the bot: the end of its input ends the session. Beside a chat platform
    // it is a side door, and the bot serves the chat until it is told to stop.
    if (bot.chatPlatforms.length === 0) void bot.shell?.finished.then(stop);
  });
  return stopped;
}

/**
 * Runs fn holding DATA_DIR when the database is PGlite in it (with Postgres, export and migrate do
 * not touch DATA_DIR). When another process holds it, fn does not run and that process is named.
 */
async function withDataDir<T>(config: Config, command: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; holder: LockHolder }> {
  if (config.DATABASE_URL) return { ok: true, value: await fn() };
  const taken = await lockDataDir(config.DATA_DIR, { command, socket: null });
  if (!taken.ok) return taken;
  try {
    return { ok: true, value: await fn() };
  } finally {
    await taken.lock.release();
  }
}

async function runMigrate(): Promise<number> {
  const config = requireConfig();
  const done = await withDataDir(config, 'migrate', async () => {
    const db = await openDatabase(config, logger(config), { migrate: false });
    try {
      return await migrate(db);
    } finally {
      await db.close();
    }
  });
  if (!done.ok) {
    const advice = done.holder.command === 'run' ? 'stop it first (the bot applies migrations when it starts)' : 'try again when it has finished';
    throw new CliError(`firebell migrate: ${describeHolder(config.DATA_DIR, done.holder)}; ${advice}`, 1);
  }
  process.stdout.write(done.value.length > 0 ? `applied ${done.value.join(', ')}\n` : 'migrations are up to date\n');
  return 0;
}

interface ExportArgs {
  id: number;
  format: PostmortemFormat;
  out: string | null;
}

/** `INC-n [--format md|json] [--out FILE]`, flags in any order, `--flag value` or `--flag=value`. */
function parseExportArgs(args: string[]): ExportArgs {
  const [ref, ...rest] = args;
  const id = ref ? parseIncidentRef(ref) : null;
  if (id === null) throw new CliError(`firebell export: name an incident, e.g. INC-3\n${USAGE}`, 2);
  const parsed: ExportArgs = { id, format: 'md', out: null };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? rest[++i];
    if (flag === '--format') {
      if (!POSTMORTEM_FORMATS.includes(value as PostmortemFormat)) throw new CliError(`firebell export: --format is md or json\n${USAGE}`, 2);
      parsed.format = value as PostmortemFormat;
    } else if (flag === '--out') {
      if (!value) throw new CliError(`firebell export: --out needs a file name\n${USAGE}`, 2);
      parsed.out = value;
    } else throw new CliError(`firebell export: unknown option "${rest[i]}"\n${USAGE}`, 2);
  }
  return parsed;
}

/**
 * Writes the draft as it is read, a page of the timeline at a time, to stdout or atomically to
 * --out: an incident of 100,000 entries is never one string in memory.
 */
async function runExport(args: string[]): Promise<number> {
  const { id, format, out } = parseExportArgs(args);
  const config = requireConfig();
  const write = (chunks: AsyncIterable<string> | string) => (out ? writeFileAtomically(out, chunks) : writeChunks(typeof chunks === 'string' ? [chunks] : chunks, process.stdout));
  const done = await withDataDir(config, 'export', async () => {
    const db = await openDatabase(config, logger(config));
    try {
      const record = await openIncidentRecord(sqlStore(db), id);
      if (!record) return { ok: false as const, error: `${incidentRef(id)} does not exist` };
      await write(streamPostmortem(record, format, systemClock.now()));
      return { ok: true as const };
    } finally {
      await db.close();
    }
  });
  if (done.ok) {
    if (!done.value.ok) throw new CliError(`firebell export: ${done.value.error}`, 1);
    return 0;
  }
  // The bot holds the data directory: it reads its own database for us.
  const answer = await askHolder(config.DATA_DIR, done.holder, exportRequest(id, format));
  if (!answer.ok) throw new CliError(`firebell export: ${answer.error}`, 1);
  if (typeof answer.file !== 'string') throw new CliError('firebell export: the running bot answered without a draft', 1);
  // The bot wrote the draft to a file of its own for us: printed from there, then removed.
  try {
    await write(createReadStream(answer.file, { encoding: 'utf8' }) as AsyncIterable<string>);
  } finally {
    await rm(answer.file, { force: true });
  }
  return 0;
}

/** Reads the journal without taking DATA_DIR: it is safe while the bot runs (the journal is append-only). */
async function runJournal(): Promise<number> {
  const config = requireConfig();
  const journal = join(resolve(config.DATA_DIR), 'journal', 'commands.jsonl');
  const contents = await readJournalContents(journal);
  process.stdout.write(describeJournal(contents, { journal, setAside: setAsideCommandsPath(journal) }));
  return 0;
}

async function runDeliveries(): Promise<number> {
  const config = requireConfig();
  const done = await withDataDir(config, 'deliveries', async () => {
    const db = await openDatabase(config, logger(config));
    try {
      const lines = deliveryLines(await sqlStore(db).statusDeliveries.list(['pending', 'dead'], CLI_DELIVERIES_SHOWN));
      return { ok: true as const, content: `${lines.join('\n')}\n` };
    } finally {
      await db.close();
    }
  });
  // The bot holds the data directory: it reads its own database for us.
  const answer = done.ok ? done.value : await askHolder(config.DATA_DIR, done.holder, { op: 'deliveries' });
  if (!answer.ok) throw new CliError(`firebell deliveries: ${answer.error}`, 1);
  if (typeof answer.content !== 'string') throw new CliError('firebell deliveries: the running bot answered without a list', 1);
  process.stdout.write(answer.content);
  return 0;
}

async function askHolder(dataDir: string, holder: LockHolder, request: ControlRequest): Promise<ControlResponse> {
  const busy = describeHolder(dataDir, holder);
  if (!holder.socket) throw new CliError(`firebell ${request.op}: ${busy}; try again when it has finished`, 1);
  const asked = await askControlChannel(holder.socket, request);
  if (!asked.ok) throw new CliError(`firebell ${request.op}: ${busy}, which cannot be asked at ${holder.socket} (${asked.problem})`, 1);
  return asked.response;
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
    case 'journal':
      return runJournal();
    case 'deliveries':
      return runDeliveries();
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
      return exitWhenFlushed(err instanceof StartupError ? err.exitCode : 1);
    }
    process.stderr.write(`firebell: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return exitWhenFlushed(1);
  },
);
