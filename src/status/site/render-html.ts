import { incidentRef } from '../../core/model.ts';
import { escapeMarkup as esc } from './escape.ts';
import type { SiteIncident } from './snapshot.ts';
import { formatUtc, HISTORY_DAYS, incidentPagePath, latestUpdate, newestFirst, STATE_WORDS, type SiteView } from './view.ts';

/**
 * The same policy the HTTP route sends, repeated in the page so a copy served from elsewhere runs
 * no script either. The page needs none: plain HTML and CSS, readable from file:// and on a phone.
 */
export const SITE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;overflow-wrap:anywhere;color:#1d232b;background:#f6f7f9}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}h3{font-size:1.05rem;margin:0}
a{color:#0b5cad}
.overall{border-radius:.5rem;padding:1rem;color:#fff;background:#2f8f4e}
.overall.minor{background:#b7791f}.overall.major{background:#c05621}.overall.critical{background:#c53030}
.overall p{margin:0;font-weight:600;font-size:1.15rem}.overall ul{margin:.5rem 0 0;padding-left:1.2rem}
.overall a{color:#fff}
article{background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:1rem;margin:1rem 0}
ol.updates{list-style:none;margin:.5rem 0 0;padding:0}ol.updates li{border-top:1px solid #eef0f3;padding:.5rem 0}
.state{font-weight:600}.when{color:#5a6470;font-size:.9rem;display:block}
.ref{color:#5a6470;font-weight:normal;font-size:.9rem}
.message{white-space:pre-wrap;overflow-wrap:anywhere}
footer{margin:2rem 0 1rem;color:#5a6470;font-size:.9rem}
`;

function page(title: string, root: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(SITE_CSP)}">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<link rel="alternate" type="application/atom+xml" title="Status updates" href="${root}feed.atom">
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function time(at: Date): string {
  return `<time datetime="${at.toISOString()}">${esc(formatUtc(at))}</time>`;
}

function updatesList(incident: SiteIncident): string {
  const items = newestFirst(incident).map(
    (u) => `<li><span class="state">${STATE_WORDS[u.state]}</span> <span class="message">${esc(u.message)}</span><span class="when">${time(u.postedAt)}</span></li>`,
  );
  return `<ol class="updates">\n${items.join('\n')}\n</ol>`;
}

function incidentHeading(incident: SiteIncident, href: string): string {
  return `<h3><a href="${href}">${esc(incident.title)}</a> <span class="ref">${incidentRef(incident.id)}</span></h3>`;
}

function footer(view: SiteView, root: string): string {
  return `<footer>Updated ${time(view.generatedAt)} · <a href="${root}status.json">status.json</a> · <a href="${root}feed.atom">Atom feed</a></footer>`;
}

/** index.html: the overall state, each active incident's updates newest first, then recent history. */
export function renderIndexHtml(view: SiteView): string {
  const summary = view.active
    .map((i) => {
      const latest = latestUpdate(i);
      const words = latest ? `${STATE_WORDS[latest.state]}: ${esc(latest.message)}` : '';
      return `<li><a href="${incidentPagePath(i.id)}">${esc(i.title)}</a> — ${words}</li>`;
    })
    .join('\n');
  const overall = `<section class="overall ${view.indicator}" id="overall">
<p>${esc(view.description)}</p>${summary ? `\n<ul>\n${summary}\n</ul>` : ''}
</section>`;
  const active =
    view.active.length === 0
      ? ''
      : `<section id="active">
<h2>Active incidents</h2>
${view.active.map((i) => `<article>\n${incidentHeading(i, incidentPagePath(i.id))}\n${updatesList(i)}\n</article>`).join('\n')}
</section>`;
  const history = `<section id="history">
<h2>Past incidents (last ${HISTORY_DAYS} days)</h2>
${
  view.history.length === 0
    ? `<p>No incidents in the last ${HISTORY_DAYS} days.</p>`
    : view.history
        .map((i) => `<article>\n${incidentHeading(i, incidentPagePath(i.id))}\n<p class="when">Resolved ${i.resolvedAt ? time(i.resolvedAt) : ''}</p>\n</article>`)
        .join('\n')
}
</section>`;
  return page(view.name, '', [`<h1>${esc(view.name)}</h1>`, overall, active, history, footer(view, '')].filter(Boolean).join('\n'));
}

/** incidents/INC-n.html: one incident, every update newest first. */
export function renderIncidentHtml(view: SiteView, incident: SiteIncident): string {
  const state = incident.state === 'resolved' ? 'Resolved' : `${STATE_WORDS[incident.state]} (active)`;
  const body = `<p><a href="../index.html">← ${esc(view.name)}</a></p>
<h1>${esc(incident.title)} <span class="ref">${incidentRef(incident.id)}</span></h1>
<article>
<p class="state" id="state">${state}</p>
${updatesList(incident)}
</article>
${footer(view, '../')}`;
  return page(`${incident.title} · ${view.name}`, '../', body);
}
