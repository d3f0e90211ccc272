import type { Logger } from 'pino';
import type { JournalRecord, SetAsideCommand } from '../store/journal.ts';
import type { CommandExecutor } from '../app/command-executor.ts';
import { countCharacters, echoWord } from './arguments.ts';
import { cleanText } from './command-line.ts';
import { code, reply } from './reply.ts';
import type { Invocation, Reply } from './types.ts';
import { fail, type Result } from '../core/errors.ts';
import { findVerb, type BoundArguments, type Verb } from './verb.ts';

const USAGE = reply.ok([
  'Usage: ',
  code('<verb> [arguments]'),
  ', e.g. ',
  code('start Checkout is failing --sev 2'),
  ' or ',
  code('log 14:05 Rolled back'),
  '. ',
  code('help'),
  ' lists the verbs.',
]);

const STOPPING = reply.error('firebell is stopping, so this command was not taken: send it again in a moment');

/** Longest command line accepted: a little over the longest text plus its options. */
const MAX_COMMAND_LENGTH = 4_500;

/**
 * The one way in for every platform: finds the verb, validates its arguments, and runs it (through
 * the executor when it changes something). Bad input is answered here and reaches nothing else.
 */
export class CommandRouter {
  private stopping = false;

  constructor(
    readonly verbs: readonly Verb[],
    private readonly executor: CommandExecutor,
    private readonly log: Logger,
  ) {}

  /** From now on every command is refused with one line: the bot is stopping (SIGTERM). */
  stopTaking(): void {
    this.stopping = true;
  }

  async dispatch(raw: Invocation): Promise<Reply> {
    if (this.stopping) return STOPPING;
    const inv = { ...raw, verb: cleanText(raw.verb).toLowerCase(), text: cleanText(raw.text) };
    // The prefix alone (`/incident`, `!inc`): how to use it, in a line.
    if (inv.verb === '') return USAGE;
    const fromAdapter = inv.payload !== undefined;
    const verb = findVerb(this.verbs, inv.verb, { internal: fromAdapter });
    if (!verb) return reply.error(`unknown command "${echoWord(inv.verb)}": try \`help\``);
    const length = countCharacters(inv.text);
    if (length > MAX_COMMAND_LENGTH) {
      return reply.error(`that command is too long (${length.toLocaleString('en-US')} characters; the limit is ${MAX_COMMAND_LENGTH.toLocaleString('en-US')})`);
    }
    const bound = bindInvocation(verb, inv);
    if (!bound.ok) return reply.error(bound.error.message);
    const command = { verb, bound: bound.value, invocation: inv };
    try {
      return verb.writes ? await this.executor.submit(command) : await this.executor.read(command);
    } catch (err) {
      this.log.error({ err, verb: verb.name, eventId: inv.eventId }, 'verb failed');
      return reply.error(`${verb.name} failed on our side; it was logged (event ${inv.eventId})`);
    }
  }

  /**
   * Commands the journal holds but the database may not: run again, in order, at start-up. One
   * that no longer parses is set aside (and reported) so the rest go through.
   */
  async replayJournal(records: JournalRecord[]): Promise<void> {
    const commands = [];
    const poisoned: SetAsideCommand[] = [];
    for (const { seq, command: c } of records) {
      const { attribution, ...rest } = c;
      const invocation: Invocation = {
        ...rest,
        ...(attribution ? { attribution: { author: attribution.author, at: new Date(attribution.at) } } : {}),
        receivedAt: new Date(c.receivedAt),
      };
      const verb = findVerb(this.verbs, c.verb, { internal: c.payload !== undefined });
      if (!verb) {
        poisoned.push({ seq, command: c, reason: `unknown command "${c.verb}"` });
        continue;
      }
      const bound = bindInvocation(verb, invocation);
      if (!bound.ok) {
        poisoned.push({ seq, command: c, reason: bound.error.message });
        continue;
      }
      commands.push({ seq, command: { verb, bound: bound.value, invocation } });
    }
    await this.executor.setAside(poisoned);
    this.executor.replay(commands);
  }
}

/** A typed command's text, or an adapter's payload, read into the verb's arguments. */
function bindInvocation(verb: Verb, inv: Invocation): Result<BoundArguments> {
  if (inv.payload === undefined) return verb.bind(inv.text);
  return verb.bindPayload(inv.payload) ?? fail('bad_argument', `${verb.name} takes typed text only`);
}
