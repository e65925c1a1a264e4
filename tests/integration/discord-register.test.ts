import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../src/adapters/discord/register.js';
import { UserFacingError } from '../../src/shared/result.js';
import { fakeConfig, TEST_REST } from '../fakes/discord/harness.js';
import { FakeDiscord } from '../fakes/discord/server.js';

describe('Discord slash command registration', () => {
  let fake: FakeDiscord;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('GIVEN DISCORD_GUILD_ID WHEN registering THEN /coach is published to that guild only (instant updates)', async () => {
    const result = await registerDiscordCommands(fakeConfig(fake, { DISCORD_GUILD_ID: fake.state.guildId }), { rest: TEST_REST });
    expect(result).toMatchObject({ scope: 'guild', guildId: fake.state.guildId });
    expect(result.commands).toContain('coach interview');
    const request = fake.rest.requests.find((entry) => entry.method === 'PUT');
    expect(request?.path).toBe(`/applications/${fake.state.applicationId}/guilds/${fake.state.guildId}/commands`);
    expect(request?.status).toBe(200);
    expect(fake.rest.registeredCommands).toHaveLength(1);
  });

  it('GIVEN no guild WHEN registering THEN /coach is published globally', async () => {
    const result = await registerDiscordCommands(fakeConfig(fake), { rest: TEST_REST });
    expect(result.scope).toBe('global');
    expect(fake.rest.requests.find((entry) => entry.method === 'PUT')?.path).toBe(`/applications/${fake.state.applicationId}/commands`);
  });

  it('GIVEN clear WHEN registering THEN the scope is emptied (removes duplicated guild copies)', async () => {
    const result = await registerDiscordCommands(fakeConfig(fake, { DISCORD_GUILD_ID: fake.state.guildId }), { rest: TEST_REST, clear: true });
    expect(result).toMatchObject({ scope: 'guild', commands: [] });
    expect(fake.rest.registeredCommands).toEqual([{ guildId: fake.state.guildId, body: [] }]);
  });

  it('GIVEN a bad token, a foreign guild or missing settings THEN registration explains what to fix', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof UserFacingError ? error : undefined));
    const badToken = await refusal(registerDiscordCommands({ ...fakeConfig(fake), DISCORD_TOKEN: 'wrong' }, { rest: TEST_REST }));
    expect(badToken?.id).toBe('discord.register.token');
    const foreignGuild = await refusal(registerDiscordCommands(fakeConfig(fake, { DISCORD_GUILD_ID: '1234' }), { rest: TEST_REST }));
    expect(foreignGuild?.message).toContain('applications.commands');
    const requests = fake.rest.requests.length;
    const missing = await refusal(registerDiscordCommands({ ...fakeConfig(fake), DISCORD_APPLICATION_ID: undefined }, { rest: TEST_REST }));
    expect(missing?.details).toEqual(['DISCORD_APPLICATION_ID']);
    expect(fake.rest.requests.length).toBe(requests);
  });
});
