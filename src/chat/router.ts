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

/** Told about every answer, for the metrics: `verb` is a known verb's name, `unknown` or `none`. */
export interface CommandObserver {
  commandAnswered(verb: string, outcome: string, seconds: number): void;
}

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
    private readonly observer?: CommandObserver,
  ) {}

  /** From now on every command is refused with one line: the bot is stopping (SIGTERM). */
  stopTaking(): void {
    this.stopping = true;
  }

  async dispatch(raw: Invocation): Promise<Reply> {
    if (!this.observer) return (await this.route(raw)).reply;
    const startedAt = performance.now();
    const { verb, reply: answer } = await this.route(raw);
    const outcome = answer === STOPPING ? 'refused' : answer.tone;
    this.observer.commandAnswered(verb, outcome, (performance.now() - startedAt) / 1000);
    return answer;
  }

  /** The reply, and the verb it is counted under: a known verb's name, never what was typed. */
  private async route(raw: Invocation): Promise<{ verb: string; reply: Reply }> {
    const answer = (r: Reply, verb = 'none') => ({ verb, reply: r });
    if (this.stopping) return answer(STOPPING);
    const inv = { ...raw, verb: cleanText(raw.verb).toLowerCase(), text: cleanText(raw.text) };
    // The prefix alone (`/incident`, `!inc`): how to use it, in a line.
    if (inv.verb === '') return answer(USAGE);
    const fromAdapter = inv.payload !== undefined;
    const verb = findVerb(this.verbs, inv.verb, { internal: fromAdapter });
    if (!verb) return answer(reply.error(`unknown command "${echoWord(inv.verb)}": try \`help\``), 'unknown');
    const length = countCharacters(inv.text);
    if (length > MAX_COMMAND_LENGTH) {
      return answer(
        reply.error(`that command is too long (${length.toLocaleString('en-US')} characters; the limit is ${MAX_COMMAND_LENGTH.toLocaleString('en-US')})`),
        verb.name,
      );
    }
    const bound = bindInvocation(verb, inv);
    if (!bound.ok) return answer(reply.error(bound.error.message), verb.name);
    const command = { verb, bound: bound.value, invocation: inv };
    try {
      return answer(verb.writes ? await this.executor.submit(command) : await this.executor.read(command), verb.name);
    } catch (err) {
      this.log.error({ err, verb: verb.name, eventId: inv.eventId }, 'verb failed');
      return answer(reply.error(`${verb.name} failed on our side; it was logged (event ${inv.eventId})`), verb.name);
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
