import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { incidentRef } from '../core/model.ts';
import type { Notice } from '../core/notices.ts';
import type { IncidentRecordPages } from '../core/record.ts';
import type { NoticeConsumer } from '../chat/types.ts';
import { streamPostmortem } from './export.ts';
import { writeFileAtomically } from './sink.ts';

export function postmortemPath(dataDir: string, incidentId: number): string {
  return join(dataDir, 'postmortems', `${incidentRef(incidentId)}.md`);
}

export interface PostmortemWriterDeps {
  dataDir: string;
  /** The record with its timeline read a page at a time: a draft of any size is written as it is read. */
  open(incidentId: number): Promise<IncidentRecordPages | null>;
  now(): Date;
  log: Logger;
}

/** The incident whose draft a notice makes outdated, if any. */
function draftToWrite(notice: Notice): number | null {
  if (notice.kind === 'incident_closed') return notice.incident.id;
  if (notice.kind === 'postmortem_outdated') return notice.incidentId;
  return null;
}

/**
 * Keeps DATA_DIR/postmortems/INC-n.md current: written on close, rewritten when a closed incident's
 * record changes. It is told through the chat outbox like the chat platforms, so a draft owed when
 * the bot stopped is written after it starts again.
 */
export function postmortemWriter(deps: PostmortemWriterDeps): NoticeConsumer {
  return {
    name: 'postmortem-draft',
    wants: (notice) => draftToWrite(notice) !== null,
    async deliver(notice) {
      const id = draftToWrite(notice);
      if (id === null) return;
      const record = await deps.open(id);
      if (!record) return;
      await mkdir(join(deps.dataDir, 'postmortems'), { recursive: true });
      const path = postmortemPath(deps.dataDir, id);
      await writeFileAtomically(path, streamPostmortem(record, 'md', deps.now()));
      deps.log.info({ incident: incidentRef(id), path }, 'postmortem draft written');
    },
  };
}
