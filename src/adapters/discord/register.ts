import { DiscordAPIError, REST, Routes, type RESTOptions } from 'discord.js';
import type { Config } from '../../config/schema.js';
import { UserFacingError } from '../../shared/result.js';
import { buildSlashCommands } from './slash.js';

export interface RegisterDiscordOptions {
  /** Extra REST options (tests: `retries: 0`). The base URL comes from DISCORD_REST_API_URL. */
  rest?: Partial<RESTOptions>;
  /** Remove the commands from the scope instead (e.g. guild copies duplicating the global ones). */
  clear?: boolean;
}

export interface RegisteredCommands {
  /** `guild`: visible at once in DISCORD_GUILD_ID; `global`: every server, may take up to an hour. */
  scope: 'guild' | 'global';
  guildId?: string;
  /** `coach <subcommand>` for each registered subcommand (empty after `clear`). */
  commands: string[];
}

/**
 * Publishes `/coach` (bulk overwrite, so removed subcommands disappear too). Guild-scoped when
 * DISCORD_GUILD_ID is set, global otherwise. Run it after every change to the command list.
 * Refusals a user can fix (missing settings, bad token, bot not in the guild) reject with a
 * UserFacingError; the CLI prints its message.
 */
export async function registerDiscordCommands(config: Config, options: RegisterDiscordOptions = {}): Promise<RegisteredCommands> {
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  const missing = [!token && 'DISCORD_TOKEN', !applicationId && 'DISCORD_APPLICATION_ID'].filter((key): key is string => Boolean(key));
  if (!token || !applicationId) {
    throw new UserFacingError('discord.register.config', `Set ${missing.join(' and ')} to register slash commands (Developer Portal > your application).`, missing);
  }
  const guildId = config.DISCORD_GUILD_ID;
  const body = options.clear ? [] : buildSlashCommands();
  const rest = new REST({ ...(config.DISCORD_REST_API_URL ? { api: config.DISCORD_REST_API_URL } : {}), ...options.rest }).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  try {
    await rest.put(route, { body });
  } catch (error) {
    const refusal = explainRefusal(error, guildId);
    throw refusal ?? error;
  }
  const commands = body.flatMap((command) => (command.options ?? []).map((sub) => `${command.name} ${sub.name}`));
  return { scope: guildId ? 'guild' : 'global', ...(guildId ? { guildId } : {}), commands };
}

function explainRefusal(error: unknown, guildId: string | undefined): UserFacingError | undefined {
  if (!(error instanceof DiscordAPIError)) return undefined;
  if (error.status === 401) return new UserFacingError('discord.register.token', 'Discord rejected DISCORD_TOKEN: copy a fresh bot token from Developer Portal > Bot > Reset Token.');
  if (error.status === 403 || error.code === 50001) {
    return new UserFacingError(
      'discord.register.access',
      guildId
        ? `Discord refused access to guild ${guildId}: invite the bot with the \`applications.commands\` scope (see docs/discord.md), or unset DISCORD_GUILD_ID to register globally.`
        : 'Discord refused to register global commands: check that DISCORD_APPLICATION_ID belongs to the bot token.',
    );
  }
  if (error.status === 404) return new UserFacingError('discord.register.application', 'Unknown application: DISCORD_APPLICATION_ID does not match the bot token.');
  if (error.status === 400) return new UserFacingError('discord.register.invalid', `Discord refused the command definitions: ${error.message}`);
  return undefined;
}
