import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../core/errors.ts';
import { incidentRef } from '../core/model.ts';
import type { IncidentRecordPages } from '../core/record.ts';
import { POSTMORTEM_FORMATS, postmortemFilename, streamPostmortem, type PostmortemFormat } from '../postmortem/export.ts';
import { writeFileAtomically } from '../postmortem/sink.ts';
import type { ControlHandler, ControlRequest } from './channel.ts';

export interface ExportDeps {
  open(incidentId: number): Promise<IncidentRecordPages | null>;
  now(): Date;
  /** Where a draft asked for is written, for the CLI to print and remove (in DATA_DIR, owner only). */
  exportDir: string;
}

export interface ControlDeps extends ExportDeps {
  /** What `firebell deliveries` prints: status deliveries pending and dead. */
  deliveries(): Promise<string[]>;
}

/**
 * Writes an incident's postmortem draft to a new file, streamed a page of the timeline at a time,
 * and says where: a draft of 100,000 entries never crosses the socket, or memory, in one piece.
 */
export async function exportIncident(deps: ExportDeps, incidentId: number, format: PostmortemFormat): Promise<Result<string>> {
  const record = await deps.open(incidentId);
  if (!record) return fail('unknown_incident', `${incidentRef(incidentId)} does not exist`);
  await mkdir(deps.exportDir, { recursive: true, mode: 0o700 });
  const path = join(deps.exportDir, `${randomUUID()}-${postmortemFilename(incidentId, format)}`);
  await writeFileAtomically(path, streamPostmortem(record, format, deps.now()));
  return ok(path);
}

export function exportRequest(incidentId: number, format: PostmortemFormat): ControlRequest {
  return { op: 'export', incident: incidentId, format };
}

/** What the running bot answers on its control channel. */
export function controlHandlers(deps: ControlDeps): Record<string, ControlHandler> {
  return {
    async deliveries() {
      return { ok: true, content: `${(await deps.deliveries()).join('\n')}\n` };
    },
    async export(request) {
      const { incident, format } = request;
      if (!Number.isSafeInteger(incident) || (incident as number) <= 0) return { ok: false, error: 'export: "incident" is a positive number' };
      if (!POSTMORTEM_FORMATS.includes(format as PostmortemFormat)) return { ok: false, error: `export: "format" is ${POSTMORTEM_FORMATS.join(' or ')}` };
      const result = await exportIncident(deps, incident as number, format as PostmortemFormat);
      return result.ok ? { ok: true, file: result.value } : { ok: false, error: result.error.message };
    },
  };
}
