import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '../../core/clock.ts';
import { incidentRef } from '../../core/model.ts';
import type { Notice } from '../../core/notices.ts';
import type { Actor } from '../../core/people.ts';
import { noticeText } from '../notice-text.ts';
import type { ChatAdapter, Invocation, LateReply, Reply } from '../types.ts';
import { parseShellLine, pipedLines } from './parse.ts';
import { renderShellLateReply, renderShellNotice, renderShellReply } from './render.ts';

export interface ShellAdapterOptions {
  input: Readable;
  output: Writable;
  /** A terminal: show a prompt. Otherwise read line by line and only print replies. */
  interactive: boolean;
  user: Actor;
  clock: Clock;
  dispatch(inv: Invocation): Promise<Reply>;
}

const LOBBY = 'shell';

/**
 * The embedded default: commands on stdin, replies on stdout. Starting an incident "opens its
 * channel": the shell moves into it, so later commands apply to it, as they would in a Slack
 * incident channel.
 */
export class ShellAdapter implements ChatAdapter {
  readonly platform = 'shell';
  readonly name = 'shell';
  /** Until it moves into an incident, the session is a channel of its own. */
  private readonly lobby: string;
  private channelId: string;
  private prompt = 'firebell> ';
  private lineNumber = 0;
  private stopping = false;
  private stopReading: (() => void) | null = null;
  private reading: Promise<void> | null = null;
  private readonly sessionId: string;
  private finishedResolve!: () => void;
  /** Resolves when the input has ended and every command read has been answered. */
  readonly finished = new Promise<void>((resolve) => {
    this.finishedResolve = resolve;
  });

  constructor(private readonly opts: ShellAdapterOptions) {
    this.sessionId = `${opts.clock.now().getTime().toString(36)}-${process.pid}`;
    this.lobby = `${LOBBY}-${this.sessionId}`;
    this.channelId = this.lobby;
  }

  async start(): Promise<void> {
    this.reading = this.readLines();
  }

  /**
   * Stops reading: lines read ahead but not yet started are dropped, the command being run is
   * answered first. Resolves once the shell has said its last reply.
   */
  async stop(): Promise<void> {
    this.stopTaking();
    await this.reading;
  }

  /** Piped lines not yet started are not run: a stopping bot would only refuse them one by one. */
  stopTaking(): void {
    this.stopping = true;
    this.stopReading?.();
  }

  private async readLines(): Promise<void> {
    const { input, output, interactive } = this.opts;
    const rl = interactive ? createInterface({ input, output, terminal: true }) : null;
    // Piped input is split on \n only: readline also ends a line at a lone \r, which would run
    // the rest of a pasted line as a command of its own.
    const lines = rl ?? pipedLines(input);
    this.stopReading = () => (rl ? rl.close() : input.destroy());
    if (rl) {
      rl.setPrompt(this.prompt);
      output.write('firebell: type `help` for the commands, Ctrl-D to leave.\n');
      rl.prompt();
    }
    try {
      for await (const line of lines) {
        if (this.stopping) break;
        this.lineNumber++;
        if (interactive && /^\s*(exit|quit)\s*$/i.test(line)) break;
        const parsed = parseShellLine(line);
        if (parsed) {
          const eventId = `shell-${this.sessionId}-${this.lineNumber}`;
          const reply = await this.opts.dispatch({
            verb: parsed.verb,
            text: parsed.text,
            actor: this.opts.user,
            channel: { platform: this.platform, id: this.channelId },
            eventId,
            receivedAt: this.opts.clock.now(),
          });
          if (reply.opened !== undefined) await this.moveInto(reply.opened, `${eventId}-link`);
          output.write(renderShellReply(reply));
        }
        if (rl) {
          rl.setPrompt(this.prompt);
          rl.prompt();
        }
      }
    } catch (err) {
      // Destroying the input is how a stop ends a read that is waiting.
      if (!this.stopping) throw err;
    } finally {
      rl?.close();
      this.finishedResolve();
    }
  }

  /**
   * Starting an incident "opens its channel": later commands typed here apply to it, as they would
   * in its Slack channel. The link is recorded like any other change, before the next line is read.
   */
  private async moveInto(incidentId: number, eventId: string): Promise<void> {
    const channelId = `${LOBBY}:${incidentRef(incidentId)}`;
    const linked = await this.opts.dispatch({
      verb: 'link',
      text: '',
      payload: { incidentId },
      actor: this.opts.user,
      channel: { platform: this.platform, id: channelId },
      eventId,
      receivedAt: this.opts.clock.now(),
    });
    if (linked.tone === 'error') {
      this.opts.output.write(renderShellReply(linked));
      return;
    }
    this.channelId = channelId;
    this.prompt = `${incidentRef(incidentId)}> `;
  }

  /** The shell is a terminal, not a channel: it hears what is said to the ops channel. */
  wants(notice: Notice): boolean {
    return noticeText(notice)?.audience.to === 'ops';
  }

  async deliver(notice: Notice): Promise<void> {
    // Opened from here: the reply said so already, and the session moved into it.
    if (notice.kind === 'incident_opened' && notice.origin.platform === this.platform && notice.origin.channelId === this.lobby) return;
    if (notice.kind === 'incident_closed' && this.channelId === `${LOBBY}:${incidentRef(notice.incident.id)}`) {
      this.prompt = `${incidentRef(notice.incident.id)} (closed)> `;
      return;
    }
    const text = noticeText(notice);
    if (text) this.opts.output.write(renderShellNotice(text));
  }

  async deliverLate(late: LateReply): Promise<void> {
    if (late.channel.platform === this.platform) this.opts.output.write(renderShellLateReply(late));
  }
}
