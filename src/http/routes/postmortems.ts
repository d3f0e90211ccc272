import type { Logger } from 'pino';
import { incidentRef } from '../../core/model.ts';
import type { IncidentRecordPages } from '../../core/record.ts';
import { postmortemMediaType, streamPostmortem, type PostmortemFormat } from '../../postmortem/export.ts';
import { writeChunks } from '../../postmortem/sink.ts';
import { isPostmortemToken } from '../postmortem-link.ts';
import { send, text } from '../respond.ts';
import type { HttpRoute } from '../route.ts';

export interface PostmortemRouteDeps {
  /** Null when there is no such incident; throws when the database cannot be reached. */
  openRecord(incidentId: number): Promise<IncidentRecordPages | null>;
  /** The draft last written to disk, for when the database is unreachable. */
  readSavedPostmortem(incidentId: number): Promise<string | null>;
  /** Signs postmortem links; held in memory so tokens are still checked while the database is down. */
  secret: Buffer;
  now(): Date;
  log: Logger;
}

/** `GET /postmortems/INC-n.md|json?token=…`: the draft, for whoever has the link, streamed as it is read. */
export function postmortemRoute(deps: PostmortemRouteDeps): HttpRoute {
  return {
    method: 'GET',
    path: /^\/postmortems\/INC-(\d{1,9})\.(md|json)$/,
    async handle({ res, params: [id, ext], query }) {
      const incidentId = Number(id);
      const format = ext as PostmortemFormat;
      // Without its token an incident is indistinguishable from one that does not exist.
      const notFound = () => text(res, 404, `${incidentRef(incidentId)} does not exist`);
      if (!isPostmortemToken(deps.secret, incidentId, query.get('token'))) return notFound();
      let chunks: AsyncGenerator<string>;
      let first: IteratorResult<string>;
      try {
        const record = await deps.openRecord(incidentId);
        if (!record) return notFound();
        chunks = streamPostmortem(record, format, deps.now());
        // The first piece comes after a whole pass over the timeline: a database that fails
        // during it still gets the saved draft or a clear 503, not a cut-off 200.
        first = await chunks.next();
      } catch (err) {
        deps.log.warn({ err }, 'postmortem from the database failed; trying the saved draft');
        const saved = format === 'md' ? await deps.readSavedPostmortem(incidentId) : null;
        if (saved !== null) return send(res, 200, 'text/markdown; charset=utf-8', saved);
        return text(res, 503, 'the database is unreachable and no saved draft exists');
      }
      // Streamed a page of the timeline at a time: a request for a huge incident holds one page.
      res.writeHead(200, { 'content-type': postmortemMediaType(format), 'cache-control': 'no-store' });
      const gone = new AbortController();
      const onClose = () => gone.abort();
      res.once('close', onClose);
      try {
        if (!first.done) await writeChunks([first.value], res, gone.signal);
        await writeChunks(chunks, res, gone.signal);
        res.end();
      } catch (err) {
        // Too late for a status code: the draft is cut short, and the client sees the connection end.
        // A client that went away is not worth a warning.
        if (!gone.signal.aborted) deps.log.warn({ err, incident: incidentRef(incidentId) }, 'postmortem draft cut short');
        await chunks.return(undefined);
        res.destroy();
      } finally {
        res.off('close', onClose);
      }
    },
  };
}
