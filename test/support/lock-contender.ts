// A process that takes and releases a data directory's lock when told to on stdin ("take",
// "release"), answering on stdout: several of these race for one lock.
import { createInterface } from 'node:readline';
import { lockDataDir, type DataDirLock } from '../../src/store/data-dir-lock.ts';

const dataDir = process.argv[2]!;
let lock: DataDirLock | null = null;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'take') {
    const taken = await lockDataDir(dataDir, { command: 'test', socket: null });
    if (taken.ok) lock = taken.lock;
    process.stdout.write(taken.ok ? 'won\n' : `lost to ${taken.holder.pid}\n`);
  } else if (line === 'release') {
    await lock?.release();
    lock = null;
    process.stdout.write('released\n');
  }
}
