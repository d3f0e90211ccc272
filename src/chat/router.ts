import type { Logger } from 'pino';
import type { JournalRecord } from '../store/journal.ts';
import type { CommandExecutor } from './command-executor.ts';
import { countCharacters, echoWord } from './arguments.ts';
import { cleanText } from './command-line.ts';
import { reply } from './reply.ts';
import type { Invocation, Reply } from './types.ts';
import { findVerb, type Verb } from './verb.ts';

/** Longest command line accepted: a little over the longest text plus its options. */
const MAX_COMMAND_LENGTH = 4_500;

/**
 * The one way in for every platform: finds the verb, validates its arguments, and runs it (through
 * the executor when it changes something). Bad input is answered here and reaches nothing else.
 */
export class CommandRouter {
  constructor(
    readonly verbs: readonly Verb[],
    private readonly executor: CommandExecutor,
    private readonly log: Logger,
  ) {}

  async dispatch(raw: Invocation): Promise<Reply> {
    const inv = { ...raw, verb: cleanText(raw.verb).toLowerCase(), text: cleanText(raw.text) };
    const verb = findVerb(this.verbs, inv.verb);
    if (!verb) return reply.error(`unknown command "${echoWord(inv.verb)}": try \`help\``);
    const length = countCharacters(inv.text);
    if (length > MAX_COMMAND_LENGTH) {
      return reply.error(`that command is too long (${length.toLocaleString('en-US')} characters; the limit is ${MAX_COMMAND_LENGTH.toLocaleString('en-US')})`);
    }
    const bound = verb.bind(inv.text);
    if (!bound.ok) return reply.error(bound.error.message);
    const command = { verb, bound: bound.value, invocation: inv };
    try {
      return verb.writes ? await this.executor.submit(command) : await this.executor.read(command);
    } catch (err) {
      this.log.error({ err, verb: verb.name, eventId: inv.eventId }, 'verb failed');
      return reply.error(`${verb.name} failed on our side; it was logged (event ${inv.eventId})`);
    }
  }

  /** Commands the journal holds but the database may not: run again, in order, at start-up. */
  replayJournal(records: JournalRecord[]): void {
    const commands = [];
    const unreadable: number[] = [];
    for (const { seq, command: c } of records) {
      const verb = findVerb(this.verbs, c.verb);
      const bound = verb?.bind(c.text);
      if (!verb || !bound?.ok) {
        this.log.error({ seq, verb: c.verb, eventId: c.eventId }, 'journaled command no longer parses; skipped');
        unreadable.push(seq);
        continue;
      }
      const invocation: Invocation = { ...c, receivedAt: new Date(c.receivedAt) };
      commands.push({ seq, command: { verb, bound: bound.value, invocation } });
    }
    this.executor.discard(unreadable);
    this.executor.replay(commands);
  }
}
