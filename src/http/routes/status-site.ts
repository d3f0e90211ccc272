import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { send, text } from '../respond.ts';
import type { HttpRoute } from '../route.ts';
import { SITE_CSP } from '../../status/site/render-html.ts';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** The only files the site has: a request for anything else is not found, whatever it spells. */
const SITE_FILE = /^(index\.html|status\.json|feed\.atom|incidents\/INC-\d{1,9}\.html)$/;

/**
 * `GET /status/…`: the static status site, public like any status page. It serves the files the
 * site wrote and nothing else in that folder, with a policy that allows no script.
 */
export function statusSiteRoute(siteDir: string): HttpRoute {
  return {
    method: 'GET',
    path: /^\/status(?:\/(.*))?$/,
    async handle({ res, params: [rest] }) {
      if (rest === undefined) return send(res, 301, 'text/plain; charset=utf-8', 'moved\n', { location: '/status/' });
      const name = rest === '' ? 'index.html' : rest;
      if (!SITE_FILE.test(name)) return text(res, 404, 'not found');
      const content = await readFile(join(siteDir, name)).catch(() => null);
      if (content === null) return text(res, 404, 'not found');
      send(res, 200, TYPES[name.slice(name.lastIndexOf('.') + 1)]!, content, {
        'content-security-policy': SITE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
    },
  };
}
