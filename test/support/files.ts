import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every regular file under dir, by relative path, with a digest of its content: compare two to see whether anything changed. */
export async function fileDigests(dir: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) digests[relative(dir, path)] = createHash('sha1').update(await readFile(path)).digest('hex');
      else digests[relative(dir, path)] = entry.isSocket() ? 'socket' : 'other';
    }
  };
  await walk(dir);
  return digests;
}
