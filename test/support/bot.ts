import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { splitVerb } from '../../src/chat/command-line.ts';
import { renderShellReply } from '../../src/chat/shell/render.ts';
import type { Reply } from '../../src/chat/types.ts';
import { loadConfig } from '../../src/config.ts';
import { loadIncidentRecord, type IncidentRecord } from '../../src/core/record.ts';
import { startFirebell, type Firebell, type FirebellIo } from '../../src/main.ts';
import type { StatusTarget } from '../../src/status/target.ts';
import { sqlStore } from '../../src/store/sql-store.ts';
import { ManualClock } from './clock.ts';
import { ManualWakeUp } from './wake-up.ts';
import { emptyTables, silentLog, type TestBackend, type TestDatabase } from './databases.ts';

export interface SayOptions {
  as?: string;
  /** The speaker's platform id, when it is not their name (a Slack user id). */
  id?: string;
  channel?: string;
  platform?: string;
  eventId?: string;
}

export interface TestBot {
  firebell: Firebell;
  clock: ManualClock;
  /** The nag scheduler's wake-up: it fires only through `advance`. */
  wakeUp: ManualWakeUp;
  /**
   * Moves the clock as a scheduler would live through it: each time the wake-up falls due on the
   * way, the clock stops there and the scheduler runs, then the notices it kept are delivered.
   */
  advance(by: string): Promise<void>;
  settings: TestDatabase['settings'];
  database: TestDatabase;
  /** Types one command (`log 23:52 Rolled back`) and returns the reply as the shell prints it. */
  say(command: string, opts?: SayOptions): Promise<string>;
  sayReply(command: string, opts?: SayOptions): Promise<Reply>;
  record(incidentId: number): Promise<IncidentRecord>;
  /** The postmortem draft on disk, once every notice kept so far has been delivered (the draft writer is told through the outbox). */
  draft(incidentId: number): Promise<string>;
  /** Runs what was typed, then sends every status delivery due now and waits for the answers. */
  deliverStatus(): Promise<void>;
  /** Makes `channel` (on the test platform) the incident's channel, as an adapter does once it has made it. */
  link(channel: string, incidentId: number): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  /** Where the clock starts. */
  now?: string;
  env?: Record<string, string>;
  shell?: { input: PassThrough; output: PassThrough; user?: string };
  /** More chat adapters (a RecordingAdapter), told about notices through the outbox. */
  adapters?: FirebellIo['adapters'];
  outbox?: FirebellIo['outbox'];
  /** IRC reconnect and pacing (the adapter runs when env has IRC_HOST). */
  irc?: FirebellIo['irc'];
  slack?: FirebellIo['slack'];
  statusDelivery?: FirebellIo['statusDelivery'];
  /** Status targets besides the configured ones (a second webhook under another name). */
  statusTargets?: (clock: ManualClock) => StatusTarget[];
  /** Start on this database (a restart) instead of a new one; it is left in place at stop. */
  database?: TestDatabase;
}

let eventCounter = 0;

/** firebell as main.ts wires it, on the backend, with a manual clock and no HTTP unless asked. */
export async function startTestBot(backend: TestBackend, opts: TestBotOptions = {}): Promise<TestBot> {
  const clock = new ManualClock(opts.now ?? '2026-03-02T00:00:00Z');
  const target = opts.database ?? (await backend.create());
  const parsed = loadConfig({ HTTP_PORT: '0', ...target.settings, ...opts.env });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const shellUser = opts.shell?.user ?? 'dana';
  const wakeUp = new ManualWakeUp();
  const firebell = await startFirebell(parsed.config, {
    clock,
    log: silentLog,
    httpHost: '127.0.0.1',
    wakeUp,
    ...(opts.adapters ? { adapters: opts.adapters } : {}),
    ...(opts.outbox ? { outbox: opts.outbox } : {}),
    ...(opts.irc ? { irc: opts.irc } : {}),
    ...(opts.slack ? { slack: opts.slack } : {}),
    ...(opts.statusDelivery ? { statusDelivery: opts.statusDelivery } : {}),
    ...(opts.statusTargets ? { statusTargets: opts.statusTargets(clock) } : {}),
    ...(opts.shell
      ? { shell: { input: opts.shell.input, output: opts.shell.output, interactive: false, user: { platform: 'shell', id: shellUser, name: shellUser } } }
      : {}),
  });
  const sayReply = async (command: string, o: SayOptions = {}): Promise<Reply> => {
    const { verb, text } = splitVerb(command) ?? { verb: '', text: '' };
    const who = o.as ?? 'dana';
    return firebell.router.dispatch({
      verb,
      text,
      actor: { platform: o.platform ?? 'test', id: o.id ?? who, name: who },
      channel: { platform: o.platform ?? 'test', id: o.channel ?? 'general' },
      eventId: o.eventId ?? `test-${process.pid}-${++eventCounter}`,
      receivedAt: clock.now(),
    });
  };
  return {
    firebell,
    clock,
    wakeUp,
    async advance(by) {
      const until = new Date(clock.now().getTime());
      const step = new ManualClock(until);
      step.advance(by);
      const end = step.now().getTime();
      await firebell.executor.idle();
      await firebell.scheduler.idle();
      for (;;) {
        const armed = wakeUp.armedAt;
        if (!armed || armed.getTime() > end) break;
        if (armed.getTime() > clock.now().getTime()) clock.set(armed);
        wakeUp.fireIfDue(clock);
        await firebell.scheduler.idle();
      }
      clock.set(new Date(end));
      await firebell.outbox.drain();
    },
    settings: target.settings,
    database: target,
    sayReply,
    say: async (command, o) => renderShellReply(await sayReply(command, o)).trimEnd(),
    async record(incidentId) {
      const r = await loadIncidentRecord(sqlStore(firebell.db), incidentId);
      if (!r) throw new Error(`INC-${incidentId} is not recorded`);
      return r;
    },
    async draft(incidentId) {
      await firebell.executor.idle();
      await firebell.outbox.drain();
      return readFile(join(target.settings.DATA_DIR, 'postmortems', `INC-${incidentId}.md`), 'utf8');
    },
    async link(channel, incidentId) {
      const linked = await firebell.router.dispatch({
        verb: 'link',
        text: '',
        payload: { incidentId },
        actor: { platform: 'test', id: 'firebell', name: 'firebell' },
        channel: { platform: 'test', id: channel },
        eventId: `link-${channel}-${incidentId}-${++eventCounter}`,
        receivedAt: clock.now(),
      });
      if (linked.tone !== 'ok') throw new Error(`could not link ${channel}: ${renderShellReply(linked)}`);
    },
    async deliverStatus() {
      await firebell.executor.idle();
      await firebell.statusDeliveries.drain();
    },
    async reset() {
      // Nothing of the last test may still be on its way: ids start again at 1 after this.
      await firebell.executor.idle();
      await firebell.outbox.drain();
      await firebell.statusDeliveries.drain();
      await emptyTables(firebell.db);
    },
    async stop() {
      await firebell.stop();
      if (!opts.database) await target.drop();
    },
  };
}
