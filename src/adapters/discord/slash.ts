import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import { COMMANDS, type CommandOption, type CommandSpec } from '../../core/commands/list.js';
import { trackNames } from '../../knowledge/areas.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { truncate } from './markup.js';

/** The one slash command; every engine command offered as a slash command is a subcommand of it. */
export const ROOT_COMMAND = 'coach';

const nameSchema = z.string().regex(/^[-_\p{Ll}\p{N}]{1,32}$/u, 'Discord command names are 1-32 lowercase letters, digits, - or _');
const descriptionSchema = z.string().min(1).max(L.commandDescription);
const optionSchema = z.object({
  name: nameSchema,
  description: descriptionSchema,
  required: z.boolean().optional(),
  choices: z.array(z.object({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) })).max(25).optional(),
});
/** Discord's rules for a command, checked before anything is sent (a bad COMMANDS entry fails loudly here). */
const commandSchema = z.object({
  name: nameSchema,
  description: descriptionSchema,
  options: z
    .array(optionSchema.extend({ options: z.array(optionSchema).max(25).optional() }))
    .max(25)
    .refine((subcommands) => subcommands.every((sub) => isRequiredFirst(sub.options ?? [])), 'required options must come before optional ones'),
});

function isRequiredFirst(options: readonly { required?: boolean }[]): boolean {
  const firstOptional = options.findIndex((option) => !option.required);
  return firstOptional === -1 || options.slice(firstOptional).every((option) => !option.required);
}

/** Plain description: Discord shows no markdown in command pickers. */
function describe(text: string): string {
  return truncate(text.replace(/`/g, '').replace(/\s+/g, ' ').trim(), L.commandDescription);
}

function slashOption(option: CommandOption): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: describe(option.description), required: option.required };
  if (option.kind === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer,
      ...(option.min !== undefined ? { min_value: option.min } : {}),
      ...(option.max !== undefined ? { max_value: option.max } : {}),
    };
  }
  if (option.choices === 'tracks') return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
  if (option.choices) return { ...base, type: ApplicationCommandOptionType.String, choices: option.choices.map((choice) => ({ name: choice, value: choice })) };
  return { ...base, type: ApplicationCommandOptionType.String };
}

function subcommand(spec: CommandSpec): APIApplicationCommandSubcommandOption {
  // Discord requires required options first; the text form keeps the spec's order (see slashToText).
  const options = [...spec.options].sort((a, b) => Number(b.required) - Number(a.required)).map(slashOption);
  return { type: ApplicationCommandOptionType.Subcommand, name: spec.name, description: describe(spec.summary), options };
}

/** JSON for `PUT /applications/:id/commands`: `/coach <subcommand>` built from COMMANDS. */
export function buildSlashCommands(commands: readonly CommandSpec[] = COMMANDS): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const root: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    name: ROOT_COMMAND,
    type: ApplicationCommandType.ChatInput,
    description: 'ML interview coach: mock interviews, daily quiz, answers with sources',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: commands.filter((command) => command.slash).map(subcommand),
  };
  commandSchema.parse(root);
  return [root];
}

/** Reads an option's value from the interaction (null when the user left it out). */
export type OptionReader = (name: string) => string | number | boolean | null | undefined;

/**
 * Turns `/coach <sub> ...options` into the engine's text grammar, e.g.
 * `/coach interview track:metrics level:hard` -> `interview metrics --level hard`.
 */
export function slashToText(subcommandName: string, read: OptionReader, commands: readonly CommandSpec[] = COMMANDS): string {
  const spec = commands.find((command) => command.name === subcommandName);
  if (!spec) return subcommandName;
  const parts = [spec.name];
  for (const option of spec.options) {
    const value = read(option.name);
    if (value === null || value === undefined || String(value).trim() === '') continue;
    const text = String(value).trim();
    parts.push(option.flag ? `--${option.name} ${text}` : text);
  }
  return parts.join(' ');
}

/** Autocomplete for the `track` option: prefix matches first, then substring matches; at most 25. */
export function suggestTracks(query: string): { name: string; value: string }[] {
  const needle = query.trim().toLowerCase();
  const names = trackNames();
  const prefix = names.filter((name) => name.startsWith(needle));
  const inside = names.filter((name) => !name.startsWith(needle) && name.includes(needle));
  return [...prefix, ...inside].slice(0, L.autocompleteChoices).map((name) => ({ name, value: name }));
}
