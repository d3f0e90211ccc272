// `npm run build`: firebell as plain JavaScript in dist/bundle, which bin/firebell.js runs.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const outdir = 'dist/bundle';

// Bundled in: the pure-JavaScript packages every start loads (zod, prom-client with
// OpenTelemetry's API, node-schedule). Node reads, resolves and compiles some two hundred files
// for them one by one; in the bundle they are one. Left as packages: those that find files of
// their own at run time (PGlite's WebAssembly, pino's transport worker, pg's optional native
// driver), and those loaded only when their chat is configured (Bolt, irc-framework).
const external = ['@electric-sql/pglite', 'pino', 'pino-pretty', 'pg', '@slack/bolt', 'irc-framework', 'esbuild', 'tsx'];

// The chunks' names change with their contents: old ones would pile up beside the new.
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  external,
  // The bundled CommonJS packages require Node's built-in modules, which an ES module has no
  // `require` for.
  banner: { js: "import { createRequire as __firebellRequire } from 'node:module'; const require = __firebellRequire(import.meta.url);" },
  logLevel: 'warning',
});
