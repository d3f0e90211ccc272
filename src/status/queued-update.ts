import { z } from 'zod';
import type { Command } from '../app/command-executor.ts';
import { commandKey } from '../chat/types.ts';
import { DEFAULT_RESOLVED_MESSAGE } from '../core/incidents.ts';
import { STATUS_STATES } from '../core/model.ts';
import type { QueuedUpdate } from './site/snapshot.ts';

const statusArgs = z.object({ state: z.enum(STATUS_STATES), message: z.string() });
const resolveArgs = z.object({ update: z.object({ text: z.string() }) });

/**
 * The public update a command answered "queued" will post, so the static site can show it at once
 * (seed 002: the status page must not die with the primary database); null for any other command.
 * A backdated `resolve` shows at the time it was typed until it is recorded.
 */
export function queuedStatusUpdate(command: Command): QueuedUpdate | null {
  const { verb, bound, invocation } = command;
  const base = { incidentId: bound.incidentId, key: commandKey(invocation), postedAt: invocation.receivedAt };
  if (verb.name === 'status') {
    const args = statusArgs.safeParse(bound.args);
    return args.success ? { ...base, state: args.data.state, message: args.data.message } : null;
  }
  if (verb.name === 'resolve') {
    const args = resolveArgs.safeParse(bound.args);
    return args.success ? { ...base, state: 'resolved', message: args.data.update.text || DEFAULT_RESOLVED_MESSAGE } : null;
  }
  return null;
}
