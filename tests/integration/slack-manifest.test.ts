import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const manifestSchema = z.object({
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.boolean(), messages_tab_enabled: z.boolean(), messages_tab_read_only_enabled: z.boolean() }),
    slash_commands: z.array(z.object({ command: z.string(), should_escape: z.boolean() })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean() }),
    socket_mode_enabled: z.boolean(),
  }),
});

/** The events and scopes the adapter's listeners and Web API calls rely on. */
const NEEDED_EVENTS = ['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im'];
const NEEDED_SCOPES = ['app_mentions:read', 'channels:history', 'channels:join', 'chat:write', 'commands', 'groups:history', 'im:history', 'im:write', 'reactions:write', 'users:read'];

describe('GIVEN the Slack app manifest in the repository', () => {
  const manifest = manifestSchema.parse(parse(readFileSync('slack-app-manifest.yaml', 'utf8')));
  const docs = readFileSync('docs/slack.md', 'utf8');

  it('THEN it declares /coach, the Home tab, DMs, interactivity and Socket Mode', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/coach']);
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('THEN it subscribes to exactly the events and asks for exactly the scopes the adapter uses, each explained in docs/slack.md', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...NEEDED_EVENTS].sort());
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...NEEDED_SCOPES].sort());
    for (const scope of NEEDED_SCOPES) expect(docs).toContain(`| \`${scope}\` |`);
  });
});
