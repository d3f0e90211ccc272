#!/usr/bin/env node
// firebell is written in TypeScript. `npm install` bundles it into plain JavaScript
// (dist/bundle/cli.js: less memory, a faster start); without that build, or when a source file is
// newer than it (someone is editing), it is run from source through tsx, so nothing stale runs.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/bundle/cli.js`;

function newestSourceMs() {
  let newest = 0;
  for (const dir of ['src', 'commands']) {
    for (const name of readdirSync(`${root}${dir}`, { recursive: true })) {
      if (String(name).endsWith('.ts')) newest = Math.max(newest, statSync(`${root}${dir}/${name}`).mtimeMs);
    }
  }
  return newest;
}

function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= newestSourceMs();
  } catch {
    return false;
  }
}

if (bundleIsCurrent()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
