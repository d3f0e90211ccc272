import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/**
 * Writes pieces to a stream as they come, waiting when it is full, so memory holds one piece at a
 * time. `signal` ends the wait (an HTTP client that went away never drains): it then throws.
 */
export async function writeChunks(chunks: AsyncIterable<string> | Iterable<string>, out: Writable, signal?: AbortSignal): Promise<void> {
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    if (!out.write(chunk)) await once(out, 'drain', signal ? { signal } : {});
  }
}

/**
 * Writes pieces to a file so that a reader sees the old file or the new one, never half of either:
 * into a temporary file beside it, synced, then renamed over it. Nothing is left behind on failure.
 */
export async function writeFileAtomically(path: string, chunks: AsyncIterable<string> | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    if (typeof chunks === 'string') await fh.writeFile(chunks);
    else for await (const chunk of chunks) await fh.write(chunk);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}
