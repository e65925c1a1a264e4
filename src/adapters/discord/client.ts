import { once } from 'node:events';
import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import type { Config } from '../../config/schema.js';
import { UserFacingError } from '../../shared/result.js';

/**
 * Gateway intents, and why:
 * - Guilds: channels, threads and roles in the cache (thread creation, Manage Server checks).
 * - GuildMessages: MESSAGE_CREATE in channels and threads (mentions, interview answers).
 * - DirectMessages: MESSAGE_CREATE in DMs.
 * - MessageContent (privileged, opt-out): the text of plain messages in interview threads. Discord
 *   sends the content of DMs and of messages mentioning the bot without it, never of plain thread
 *   messages. GuildMembers and GuildPresences (privileged) are not needed.
 */
export const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages] as const;

export interface ClientSettings {
  messageContent: boolean;
  rest?: Partial<RESTOptions>;
}

export function createDiscordClient(config: Config, settings: ClientSettings): Client {
  return new Client({
    intents: settings.messageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : [...BASE_INTENTS],
    // DM channels are not cached until used: without this, the first DM is dropped.
    partials: [Partials.Channel],
    // Safety net under every message: nothing pings unless a message allows it explicitly.
    allowedMentions: { parse: [], repliedUser: false },
    // Rate limits (per route and global) are handled by discord.js's REST queue.
    rest: { ...(config.DISCORD_REST_API_URL ? { api: config.DISCORD_REST_API_URL } : {}), ...settings.rest },
  });
}

/** Logs in and waits for `clientReady` (every guild received); rejects on refusal or timeout. */
export async function loginAndWaitReady(client: Client, token: string, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const ready = once(client, Events.ClientReady, { signal: controller.signal });
  ready.catch(() => undefined);
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`discord: gateway not ready after ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** The gateway closed with 4014: a privileged intent is not enabled in the Developer Portal. */
export function isDisallowedIntents(error: unknown): boolean {
  return error instanceof Error && /disallowed intents/i.test(error.message);
}

/** Login failures a user can fix, worded as such; anything else is returned unchanged. */
export function explainLoginError(error: unknown): unknown {
  if (error instanceof Error && 'code' in error && error.code === DiscordjsErrorCodes.TokenInvalid) {
    return new UserFacingError('discord.token', 'Discord rejected DISCORD_TOKEN: copy a fresh token from Developer Portal > Bot > Reset Token.');
  }
  if (isDisallowedIntents(error)) {
    return new UserFacingError('discord.intents', 'Discord refused the gateway intents: enable the needed privileged intents in Developer Portal > Bot (see docs/discord.md).');
  }
  return error;
}
