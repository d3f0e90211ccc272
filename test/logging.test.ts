import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../src/logging.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', pretty: false, destination }) };
}

describe('logging', () => {
  test('logs are JSON lines naming firebell', () => {
    const { lines, log } = capture();
    log.info({ incident: 'INC-1' }, 'postmortem draft written');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, name: 'firebell', incident: 'INC-1', msg: 'postmortem draft written' });
  });

  test('secrets are redacted wherever they appear in a logged object', () => {
    const { lines, log } = capture();
    log.warn(
      {
        DATABASE_URL: 'postgres://firebell:hunter2@db/firebell',
        config: { DATABASE_URL: 'postgres://firebell:hunter2@db/firebell' },
        request: { headers: { authorization: 'Bearer s3cret-token' } },
        connectionString: 'postgres://firebell:hunter2@db/firebell',
        token: 'xoxb-123',
      },
      'something to look at',
    );
    expect(lines.join('')).not.toMatch(/hunter2|s3cret|xoxb/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ DATABASE_URL: '[redacted]', token: '[redacted]', request: { headers: { authorization: '[redacted]' } } });
  });
});
