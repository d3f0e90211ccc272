import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The rules of Slack's v1 app manifest schema (slackapi/manifest-schema
 * schemas/manifest.schema.1.0.0.json) for the parts firebell's manifest uses, copied: every object
 * is closed (additionalProperties: false), with the same required keys, lengths and patterns.
 */
const url = z.string().regex(/^https?:\/\//).max(3500);
const eventName = z.string().max(50);
const manifestSchema = z.strictObject({
  _metadata: z.strictObject({ schema_version: z.number().int().optional(), min_version: z.number().int().optional(), major_version: z.number().int().optional(), minor_version: z.number().int().optional() }).optional(),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140).optional(),
    background_color: z.string().min(4).max(7).regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/).optional(),
    long_description: z.string().min(175).max(4000).optional(),
  }),
  features: z
    .strictObject({
      bot_user: z.strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }).optional(),
      slash_commands: z
        .array(
          z.strictObject({
            command: z.string().min(2).max(32).regex(/^\//),
            url: z.string().regex(/^https?:\/\//).max(3000).optional(),
            description: z.string().min(1).max(2000),
            usage_hint: z.string().min(1).max(1000).optional(),
            should_escape: z.boolean().optional(),
          }),
        )
        .min(1)
        .max(50)
        .optional(),
    })
    .optional(),
  oauth_config: z
    .strictObject({
      redirect_urls: z.array(z.string()).optional(),
      scopes: z.strictObject({ user: z.array(z.string().max(50)).max(255).optional(), bot: z.array(z.string().max(50)).max(255).optional() }).optional(),
      token_management_enabled: z.boolean().optional(),
    })
    .optional(),
  settings: z
    .strictObject({
      event_subscriptions: z
        .strictObject({
          request_url: url.optional(),
          user_events: z.array(eventName).max(100).optional(),
          bot_events: z.array(eventName).max(100).refine((a) => new Set(a).size === a.length, 'bot_events must be unique').optional(),
        })
        .optional(),
      interactivity: z.strictObject({ is_enabled: z.boolean(), request_url: url.optional(), message_menu_options_url: url.optional() }).optional(),
      org_deploy_enabled: z.boolean().optional(),
      socket_mode_enabled: z.boolean().optional(),
      token_rotation_enabled: z.boolean().optional(),
    })
    .optional(),
});

const manifest = parse(await readFile(new URL('../../../slack-app-manifest.yml', import.meta.url), 'utf8')) as unknown;

describe('slack-app-manifest.yml', () => {
  test("is a valid v1 app manifest by the rules of Slack's schema", () => {
    const checked = manifestSchema.safeParse(manifest);
    expect(checked.success ? [] : checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  test('has the command, the events and the scopes the adapter uses', () => {
    const m = manifestSchema.parse(manifest);
    expect(m.features?.slash_commands?.map((c) => c.command)).toEqual(['/incident']);
    expect(m.settings?.event_subscriptions?.bot_events).toEqual(['reaction_added', 'reaction_removed']);
    expect(m.settings?.interactivity?.is_enabled).toBe(true);
    // One per Web API method the adapter calls: the command, posting, channels, history, pins, reactions, names, uploads.
    expect(m.oauth_config?.scopes?.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'chat:write.public', 'channels:manage', 'channels:history', 'pins:write', 'reactions:read', 'users:read', 'files:write']),
    );
    // Events, commands and the modal all go to the one route firebell serves.
    for (const u of [m.features?.slash_commands?.[0]?.url, m.settings?.event_subscriptions?.request_url, m.settings?.interactivity?.request_url]) {
      expect(new URL(u!).pathname).toBe('/slack/events');
    }
  });

  test('the copied rules do refuse what the schema refuses', () => {
    expect(manifestSchema.safeParse({ display_information: { name: 'x' }, features: { slash_commands: [{ command: 'incident', description: 'd' }] } }).success).toBe(false);
    expect(manifestSchema.safeParse({ display_information: { name: 'x', colour: 'red' } }).success).toBe(false);
    expect(manifestSchema.safeParse({}).success).toBe(false);
  });
});
