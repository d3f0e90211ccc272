import { createHash } from 'node:crypto';
import { incidentRef } from '../../core/model.ts';
import { xmlText } from './escape.ts';
import type { SiteIncident, SiteUpdate } from './snapshot.ts';
import { incidentPagePath, STATE_WORDS, type SiteView } from './view.ts';

/** A stable `urn:uuid:` made from a name (RFC 9562 version 8, name-based): an Atom id never changes or repeats. */
function uuidFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface FeedEntry {
  incident: SiteIncident;
  update: SiteUpdate;
}

/**
 * feed.atom (RFC 4287): one entry per status update, newest first, its text as `type="text"` so a
 * reader never renders it as markup. Links are absolute when the site's address is known.
 */
export function renderAtomFeed(view: SiteView, incidents: readonly SiteIncident[]): string {
  const entries: FeedEntry[] = incidents
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort((a, b) => b.update.postedAt.getTime() - a.update.postedAt.getTime());
  const updated = entries[0]?.update.postedAt ?? view.generatedAt;
  const link = (path: string, rel: string, type?: string) =>
    view.baseUrl ? `<link rel="${rel}" href="${xmlText(view.baseUrl + path)}"${type ? ` type="${type}"` : ''}/>` : '';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${uuidFor(`firebell status feed ${view.baseUrl ?? ''}`)}</id>`,
    `<title>${xmlText(view.name)}</title>`,
    `<updated>${updated.toISOString()}</updated>`,
    '<author><name>firebell</name></author>',
    link('feed.atom', 'self', 'application/atom+xml'),
    link('', 'alternate', 'text/html'),
    ...entries.map(({ incident, update }) =>
      [
        '<entry>',
        `<id>${uuidFor(`firebell status update ${incident.id} ${update.key}`)}</id>`,
        `<title>[${STATE_WORDS[update.state]}] ${xmlText(incident.title)} (${incidentRef(incident.id)})</title>`,
        `<updated>${update.postedAt.toISOString()}</updated>`,
        link(incidentPagePath(incident.id), 'alternate', 'text/html'),
        `<content type="text">${xmlText(update.message)}</content>`,
        '</entry>',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
    '</feed>',
  ];
  return lines.filter(Boolean).join('\n') + '\n';
}
