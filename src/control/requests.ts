import { fail, ok, type Result } from '../core/errors.ts';
import { incidentRef } from '../core/model.ts';
import type { IncidentRecord } from '../core/record.ts';
import { POSTMORTEM_FORMATS, exportPostmortem, type PostmortemFormat } from '../postmortem/export.ts';
import type { ControlHandler, ControlRequest } from './channel.ts';

export interface ExportDeps {
  load(incidentId: number): Promise<IncidentRecord | null>;
  now(): Date;
}

export interface ControlDeps extends ExportDeps {
  /** What `firebell deliveries` prints: status deliveries pending and dead. */
  deliveries(): Promise<string[]>;
}

/** An incident's postmortem draft as `firebell export` prints it, whether the CLI or the bot reads the database. */
export async function exportIncident(deps: ExportDeps, incidentId: number, format: PostmortemFormat): Promise<Result<string>> {
  const record = await deps.load(incidentId);
  if (!record) return fail('unknown_incident', `${incidentRef(incidentId)} does not exist`);
  return ok(exportPostmortem(record, format, deps.now()).content);
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
      return result.ok ? { ok: true, content: result.value } : { ok: false, error: result.error.message };
    },
  };
}
