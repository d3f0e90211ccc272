import { readFile, stat } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { askControlChannel, controlSocketPath } from '../../src/control/channel.ts';
import { exportRequest } from '../../src/control/requests.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';

/** Connects, sends raw bytes, and resolves with everything the bot sent back before it closed. */
function exchange(path: string, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => socket.write(bytes));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

function connected(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => resolve(socket));
    socket.on('error', reject);
  });
}

// The socket `firebell export` asks the running bot through: whatever arrives on it, the bot carries on.
describe.each(backends)('the control channel on $name', (backend) => {
  let bot: TestBot;
  let path: string;
  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-02T12:00:00Z' });
    path = controlSocketPath(bot.settings.DATA_DIR);
    await bot.say('start Control channel --at "2026-03-02 11:00" --tz UTC');
    await bot.say('log 11:05 Before the garbage');
  });
  afterAll(() => bot.stop());

  /** Asks for a draft, as the CLI does, and reads the file the bot answers with. */
  async function exported(incidentId: number, format: 'md' | 'json'): Promise<string> {
    const asked = await askControlChannel(path, exportRequest(incidentId, format));
    if (!asked.ok || !asked.response.ok || typeof asked.response.file !== 'string') throw new Error(`no draft: ${JSON.stringify(asked)}`);
    return readFile(asked.response.file, 'utf8');
  }

  test('an export request is answered with a file holding the draft the CLI prints, readable by its owner only', async () => {
    const content = await exported(1, 'md');
    expect(content).toMatch(/^# INC-1: Control channel\n/);
    expect(content).toContain('| 11:05 | note | Before the garbage | dana |');
    expect(content).toBe(renderPostmortem(await bot.record(1), bot.clock.now()));
    expect(JSON.parse(await exported(1, 'json'))).toMatchObject({ ref: 'INC-1' });
    expect((await stat(join(bot.settings.DATA_DIR, 'exports'))).mode & 0o777).toBe(0o700);
  });

  test('an incident that does not exist, an unknown request and garbage are each answered with one error', async () => {
    expect(JSON.parse(await exchange(path, `${JSON.stringify(exportRequest(9, 'md'))}\n`))).toEqual({ ok: false, error: 'INC-9 does not exist' });
    expect(JSON.parse(await exchange(path, '{"op":"export","incident":"1; drop table incidents","format":"md"}\n'))).toEqual({
      ok: false,
      error: 'export: "incident" is a positive number',
    });
    expect(JSON.parse(await exchange(path, '{"op":"toString"}\n'))).toEqual({ ok: false, error: 'unknown request "toString"' });
    for (const garbage of ['garbage\n', '[1,2]\n', 'null\n', '\n', Buffer.from([0xff, 0xfe, 0x00, 0x0a])]) {
      expect(JSON.parse(await exchange(path, garbage))).toEqual({ ok: false, error: 'not a request: send one JSON object with an "op" on one line' });
    }
    expect(JSON.parse(await exchange(path, 'x'.repeat(100_000)))).toEqual({ ok: false, error: 'request too long' });
  });

  test('clients that hang up early, half-way or before the answer leave the bot answering', async () => {
    (await connected(path)).destroy();
    (await connected(path)).end('{"op":"exp');
    const impatient = await connected(path);
    impatient.write(`${JSON.stringify(exportRequest(1, 'md'))}\n`);
    impatient.destroy();

    expect(await bot.say('log 11:10 After the garbage')).toMatch(/^Logged #3 on INC-1/);
    expect(await exported(1, 'md')).toContain('| 11:10 | note | After the garbage | dana |');
  });

  test('a client that says nothing does not hold up the stop, and the socket is gone afterwards', async () => {
    const silent = await connected(path);
    const dropped = new Promise((resolve) => silent.on('close', resolve));
    await bot.firebell.stop();
    await dropped;
    const asked = await askControlChannel(path, exportRequest(1, 'md'));
    expect(asked).toEqual({ ok: false, problem: 'ENOENT' });
  });
});
