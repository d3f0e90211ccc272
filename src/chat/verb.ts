import type { z } from 'zod';
import type { CoreContext } from '../core/context.ts';
import { fail, ok, type Result } from '../core/errors.ts';
import { splitLeadingWhen } from '../core/when.ts';
import type { Incident } from '../core/model.ts';
import type { IncidentRecordPages } from '../core/record.ts';
import type { WarningSettings } from '../core/warnings.ts';
import type { PostmortemFormat } from '../postmortem/export.ts';
import { tokenize, type Token } from './command-line.ts';
import type { Reply } from './types.ts';

/** Where an incident's postmortem draft can be found, for replies that point at it. */
export interface PostmortemLinks {
  path(incidentId: number): string;
  /** The signed link (it carries its token); null when PUBLIC_URL is not set. */
  url(incidentId: number, format?: PostmortemFormat): string | null;
}

export interface VerbContext extends CoreContext {
  verbs: readonly Verb[];
  postmortems: PostmortemLinks;
  /** The incident's record, its timeline read a page at a time, for a draft of any size. */
  openRecord(incidentId: number): Promise<IncidentRecordPages | null>;
  /** The nag policy and warning owners, from the configuration. */
  warnings: WarningSettings;
  /**
   * Tells the nag scheduler to look at `at` (it wakes early if that is sooner than planned): a nag
   * falls due then, or an incident's status cadence changed (opened, severity changed).
   */
  nagDue(at: Date): void;
}

export interface IncidentVerbContext extends VerbContext {
  incident: Incident;
}

/** How a `--flag` takes its value: one word, or a time that may be a date and a clock (`2026-03-01 23:40`). */
export type FlagKind = 'word' | 'time';

interface VerbBase<S extends z.ZodObject> {
  name: string;
  aliases?: readonly string[];
  usage: string;
  help: string;
  /** False for verbs that only read: they skip the journal and the idempotency record. */
  writes: boolean;
  /** Keys the leading words fill, in order. */
  words?: readonly (keyof z.input<S> & string)[];
  /** The key that takes the rest of the text, as typed. */
  rest?: keyof z.input<S> & string;
  /** `--name` options; each fills the key of the same name. */
  flags?: Readonly<Partial<Record<keyof z.input<S> & string, FlagKind>>>;
  args: S;
  /**
   * Structured input an adapter may send instead of typed text (a pinned message, a webhook), read
   * into the same arguments the handler takes. Verbs without one take text only.
   */
  payload?: z.ZodType<z.output<S>>;
  /** Only adapters invoke it, with a payload: it cannot be typed and `help` does not list it. */
  internal?: boolean;
}

export type VerbSpec<S extends z.ZodObject> = VerbBase<S> &
  (
    | {
        scope: 'incident';
        run(args: z.output<S>, ctx: IncidentVerbContext): Promise<Reply>;
        /** As for a global verb; each command with the incident it applies to. */
        runMany?(items: readonly { args: z.output<S>; ctx: IncidentVerbContext }[]): Promise<Reply[]>;
      }
    | {
        scope: 'global';
        run(args: z.output<S>, ctx: VerbContext): Promise<Reply>;
        /**
         * Runs several commands of this verb in one go, in their order, one reply each: for a verb
         * that comes in bursts (a batch of alerts, a busy incident channel), a few statements
         * instead of a few per command. The executor calls it with the commands that queued up
         * together in one transaction.
         */
        runMany?(items: readonly { args: z.output<S>; ctx: VerbContext }[]): Promise<Reply[]>;
      }
  );

export interface BoundArguments {
  args: unknown;
  /** An `INC-n` typed as the first word. */
  incidentId: number | null;
}

/** A verb with its types erased, as the registry and the router hold it. */
export interface Verb {
  name: string;
  aliases: readonly string[];
  usage: string;
  help: string;
  writes: boolean;
  scope: 'incident' | 'global';
  internal: boolean;
  bind(text: string): Result<BoundArguments>;
  /** Null when the verb takes no payload. */
  bindPayload(payload: unknown): Result<BoundArguments> | null;
  run(args: unknown, ctx: VerbContext, incident: Incident | null): Promise<Reply>;
  /**
   * Several commands at once, one reply each (an incident verb's each with its incident); null when
   * the verb runs one at a time.
   */
  runMany: ((items: readonly { args: unknown; ctx: VerbContext; incident: Incident | null }[]) => Promise<Reply[]>) | null;
}

/** The verb of that name or alias, in any case; internal verbs only when asked for. */
export function findVerb(verbs: readonly Verb[], name: string, opts: { internal?: boolean } = {}): Verb | undefined {
  const wanted = name.toLowerCase();
  return verbs.find((v) => (v.name === wanted || v.aliases.includes(wanted)) && (!v.internal || opts.internal === true));
}

export function defineVerb<S extends z.ZodObject>(spec: VerbSpec<S>): Verb {
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    usage: spec.usage,
    help: spec.help,
    writes: spec.writes,
    scope: spec.scope,
    internal: spec.internal ?? false,
    bind: (text) => bindArguments(spec, text),
    bindPayload(payload) {
      if (!spec.payload) return null;
      const parsed = spec.payload.safeParse(payload);
      if (!parsed.success) return fail('bad_argument', `${spec.name}: ${parsed.error.issues[0]?.message ?? 'bad payload'}`);
      return ok({ args: parsed.data, incidentId: null });
    },
    run(args, ctx, incident) {
      const parsed = args as z.output<S>;
      if (spec.scope === 'global') return spec.run(parsed, ctx);
      return spec.run(parsed, { ...ctx, incident: incidentOf(spec.name, incident) });
    },
    runMany: runManyOf(spec),
  };
}

function incidentOf(verb: string, incident: Incident | null): Incident {
  if (!incident) throw new Error(`${verb} needs an incident and the router gave none`);
  return incident;
}

/** The spec's runMany with its types erased, each incident verb's command given its incident; null without one. */
function runManyOf<S extends z.ZodObject>(spec: VerbSpec<S>): Verb['runMany'] {
  if (spec.scope === 'global') {
    const many = spec.runMany;
    return many ? answeringEach(spec.name, (items) => many(items.map(({ args, ctx }) => ({ args: args as z.output<S>, ctx })))) : null;
  }
  const many = spec.runMany;
  return many
    ? answeringEach(spec.name, (items) =>
        many(items.map(({ args, ctx, incident }) => ({ args: args as z.output<S>, ctx: { ...ctx, incident: incidentOf(spec.name, incident) } }))),
      )
    : null;
}

/** A runMany that must answer every command it was given. */
function answeringEach(verb: string, runMany: NonNullable<Verb['runMany']>): NonNullable<Verb['runMany']> {
  return async (items) => {
    const replies = await runMany(items);
    if (replies.length !== items.length) throw new Error(`${verb} answered ${replies.length} of ${items.length} commands`);
    return replies;
  };
}

const INCIDENT_REF = /^inc-(\d+)$/i;
/**
 * A first word that can only be meant as an incident: INC then a digit, a dash, or a separator and
 * a digit (INC1, INC-, INC-1x, inc_3, INC#3). Words like incident, Inc. or increase are text.
 */
const MEANT_AS_INCIDENT_REF = /^inc(?:\d|[-\u2010-\u2015\u2212]|[_#:./]+\d)/i;
/** incidents.id is a Postgres int: a larger number cannot name one (and would fail the query). */
const MAX_INCIDENT_ID = 2_147_483_647;

/** `INC-3` → 3; null when the word is not meant as an incident; an error when it is but is not valid. */
function readIncidentRef(word: string): Result<number> | null {
  const ref = INCIDENT_REF.exec(word);
  if (ref) {
    const id = Number(ref[1]);
    return id <= MAX_INCIDENT_ID ? ok(id) : fail('unknown_incident', `${word.toUpperCase()} does not exist`);
  }
  if (!MEANT_AS_INCIDENT_REF.test(word)) return null;
  return fail('bad_argument', `bad incident reference "${word}": use INC-<number>, e.g. INC-3`);
}

/** Fills the verb's argument object from the typed text, then validates it with the verb's schema. */
export function bindArguments<S extends z.ZodObject>(spec: VerbBase<S> & { scope: string }, text: string): Result<BoundArguments> {
  const tokens = tokenize(text);
  let incidentId: number | null = null;
  const firstWord = tokens[0];
  // Quoted, the first word is text.
  const explicitRef = spec.scope === 'incident' && firstWord && !firstWord.quoted ? readIncidentRef(firstWord.value) : null;
  if (explicitRef) {
    if (!explicitRef.ok) return explicitRef;
    incidentId = explicitRef.value;
    tokens.shift();
  }

  const flags: Record<string, FlagKind> = Object.fromEntries(
    Object.entries(spec.flags ?? {}).filter((e): e is [string, FlagKind] => e[1] !== undefined),
  );
  const input: Record<string, string> = {};
  const remaining: Token[] = [];
  // Where a flag was cut out of the text, the rest is rejoined with a single space.
  const cutBefore = new Set<Token>();
  let cut = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const flag = !t.quoted && /^--[a-z]/i.test(t.value) ? /^--([a-z-]+)(?:=([\s\S]*))?$/i.exec(t.value) : null;
    if (!flag || Object.keys(flags).length === 0) {
      if (cut) cutBefore.add(t);
      cut = false;
      remaining.push(t);
      continue;
    }
    const name = flag[1]!.toLowerCase();
    const kind = flags[name];
    if (!kind) {
      const known = Object.keys(flags).map((f) => `--${f}`).join(', ');
      return fail('bad_argument', `unknown option --${name}: ${spec.name} takes ${known}`);
    }
    if (name in input) return fail('bad_argument', `--${name} is given twice`);
    let value: string;
    let valueStart: number;
    let quotedValue: boolean;
    if (flag[2] !== undefined) {
      value = flag[2];
      valueStart = t.start + t.value.indexOf('=') + 1;
      quotedValue = t.quotedValue ?? false;
    } else {
      const next = tokens[i + 1];
      if (!next || (!next.quoted && next.value.startsWith('--'))) {
        return fail('missing_argument', `--${name} needs a value; usage: ${spec.usage}`);
      }
      value = next.value;
      valueStart = next.start;
      quotedValue = next.quoted;
      i++;
    }
    if (kind === 'time' && !quotedValue) {
      // Unquoted, a time may run over several words (`2026-03-01 23:40 MST`): take as many as
      // the time grammar does at the start of a timeline entry.
      const fromHere = text.slice(valueStart);
      const split = splitLeadingWhen(fromHere);
      // Else a word it refuses (14:05 IST) would be left over for the text.
      if (!split.ok) return split;
      if (split.value.when) {
        const end = valueStart + fromHere.length - split.value.rest.length;
        value = text.slice(valueStart, end).trim();
        while (tokens[i + 1] && tokens[i + 1]!.start < end) i++;
      }
    }
    input[name] = value;
    cut = true;
  }

  const wordKeys = spec.words ?? [];
  for (const key of wordKeys) {
    const t = remaining.shift();
    if (!t) break;
    input[key] = t.value;
  }
  if (spec.rest) {
    const rest = joinTokens(text, remaining, cutBefore);
    if (rest !== '') input[spec.rest] = rest;
  } else if (remaining.length > 0) {
    return fail('bad_argument', `unexpected "${remaining[0]!.value}"; usage: ${spec.usage}`);
  }

  const parsed = spec.args.safeParse(input);
  if (!parsed.success) return describeIssue(parsed.error, input, spec.usage);
  return ok({ args: parsed.data, incidentId });
}

function joinTokens(text: string, tokens: Token[], cutBefore: Set<Token>): string {
  const only = tokens[0];
  if (tokens.length === 1 && only?.quoted) return only.value;
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (prev) out += cutBefore.has(t) ? ' ' : text.slice(prev.end, t.start);
    out += text.slice(t.start, t.end);
  }
  return out;
}

function describeIssue(error: z.ZodError, input: Record<string, string>, usage: string): Result<never> {
  const issue = error.issues[0];
  const key = String(issue?.path[0] ?? '');
  if (!issue || input[key] === undefined) return fail('missing_argument', `missing ${key || 'arguments'}; usage: ${usage}`);
  if (issue.message.startsWith('missing ')) return fail('missing_argument', `${issue.message}; usage: ${usage}`);
  return fail('bad_argument', issue.message);
}
