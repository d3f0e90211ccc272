import { z } from 'zod';
import { freeText } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { MAX_FINGERPRINT_LENGTH, warningRef } from '../src/core/warning-model.ts';
import { recordFiring, textFingerprint } from '../src/core/warnings.ts';

export default defineVerb({
  name: 'warn',
  usage: 'warn <text> [--key <fingerprint>]',
  help: 'Record a warning by hand; firebell nags about it until someone acks, snoozes or resolves it. The same --key (or the same words) is the same warning, fired again.',
  scope: 'global',
  writes: true,
  rest: 'text',
  flags: { key: 'word' },
  args: z.object({
    text: freeText('text'),
    key: z.string().trim().min(1, 'missing key').max(MAX_FINGERPRINT_LENGTH, `the key may be at most ${MAX_FINGERPRINT_LENGTH} characters`).optional(),
  }),
  async run({ text, key }, ctx) {
    const { warning, change } = await recordFiring(
      ctx,
      {
        fingerprint: key !== undefined ? `key:${key}` : textFingerprint(text),
        summary: text,
        severity: null,
        owner: null,
        labels: {},
        generatorUrl: null,
        status: 'firing',
        at: null,
      },
      ctx.warnings,
    );
    if (warning.nextNagAt) ctx.nagDue(warning.nextNagAt);
    const what = change === 'new' ? 'recorded' : `fired again (${warning.fireCount} times)`;
    return reply.ok([strong(warningRef(warning.id)), ` ${what}: `, text, warning.habitual ? ' · 🔥 habitually ignored' : '']);
  },
});
