import { open } from 'node:fs/promises';

/**
 * fsync a file or a directory by path. A directory is synced so that a file created or renamed in
 * it survives a power loss too.
 */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
