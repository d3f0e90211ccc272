import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { incidentRef } from '../core/model.ts';
import type { Notice } from '../core/notices.ts';
import type { IncidentRecord } from '../core/record.ts';
import type { NoticeConsumer } from '../chat/types.ts';
import { renderPostmortem } from './markdown.ts';

/** Writes a file so that a reader sees the old one or the new one, never half of either. */
async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export function postmortemPath(dataDir: string, incidentId: number): string {
  return join(dataDir, 'postmortems', `${incidentRef(incidentId)}.md`);
}

export interface PostmortemWriterDeps {
  dataDir: string;
  load(incidentId: number): Promise<IncidentRecord | null>;
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
      const record = await deps.load(id);
      if (!record) return;
      await mkdir(join(deps.dataDir, 'postmortems'), { recursive: true });
      const path = postmortemPath(deps.dataDir, id);
      await writeFileAtomic(path, renderPostmortem(record, deps.now()));
      deps.log.info({ incident: incidentRef(id), path }, 'postmortem draft written');
    },
  };
}
