import {
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { IncomingMessage } from '../../../core/model/message.js';
import { ANYONE, decodeComponentId, encodeComponentId } from '../custom-id.js';
import { deliverReplies } from '../delivery.js';
import { askEngine, settlesWithin } from '../engine-call.js';
import { describeDiscordError } from '../errors.js';
import { interactionToIncoming } from '../incoming.js';
import { DISCORD_LIMITS } from '../limits.js';
import type { DiscordRuntime } from '../runtime.js';
import { ChannelSink, InteractionSink, type EngineInteraction } from '../sinks.js';
import { ROOT_COMMAND, slashToText, suggestTracks } from '../slash.js';
import { canHostThread } from '../threads.js';

/** Subcommands whose answer is for the asker only: a slow one is deferred privately. */
const PRIVATE_SUBCOMMANDS: ReadonlySet<string> = new Set(['help', 'progress', 'settings', 'interview']);
/** The text input of the answer modal. */
export const ANSWER_FIELD = 'answer';

/** Slash commands, autocomplete, buttons and modal submissions: each answered within Discord's 3 s. */
export async function onInteraction(interaction: Interaction, runtime: DiscordRuntime): Promise<void> {
  if (interaction.isAutocomplete()) return onAutocomplete(interaction);
  if (interaction.isChatInputCommand()) return onSlashCommand(interaction, runtime);
  if (interaction.isButton()) return onButton(interaction, runtime);
  if (interaction.isModalSubmit()) return onModalSubmit(interaction, runtime);
  if (interaction.isRepliable()) await interaction.reply({ content: "I don't handle this kind of interaction.", flags: MessageFlags.Ephemeral });
}

async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'track' ? suggestTracks(String(focused.value)) : []);
}

async function onSlashCommand(interaction: ChatInputCommandInteraction, runtime: DiscordRuntime): Promise<void> {
  if (interaction.commandName !== ROOT_COMMAND) {
    await interaction.reply({ content: 'This command is outdated. An admin should run `mle-coach discord register`.', flags: MessageFlags.Ephemeral });
    return;
  }
  const subcommand = interaction.options.getSubcommand(false) ?? 'help';
  const text = slashToText(subcommand, (name) => interaction.options.get(name)?.value);
  await runEngine(interaction, { text, fromSlashCommand: true }, runtime, PRIVATE_SUBCOMMANDS.has(subcommand));
}

async function onButton(interaction: ButtonInteraction, runtime: DiscordRuntime): Promise<void> {
  const id = decodeComponentId(interaction.customId);
  if (!id) {
    await interaction.reply({ content: 'This button has expired.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (id.owner !== ANYONE && id.owner !== interaction.user.id) {
    await interaction.reply({
      content: `These buttons belong to <@${id.owner}>'s interview. Start your own with \`/coach interview\`.`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
    return;
  }
  if (id.action === 'answer-form' || id.action === 'quiz-answer') {
    await interaction.showModal(answerModal(interaction.user.id));
    return;
  }
  await runEngine(interaction, { text: '', action: id.value === undefined ? { id: id.action } : { id: id.action, value: id.value } }, runtime, false);
}

async function onModalSubmit(interaction: ModalSubmitInteraction, runtime: DiscordRuntime): Promise<void> {
  const id = decodeComponentId(interaction.customId);
  if (!id || id.action !== 'submit-answer') {
    await interaction.reply({ content: 'This form has expired.', flags: MessageFlags.Ephemeral });
    return;
  }
  const answer = interaction.fields.getTextInputValue(ANSWER_FIELD);
  await runEngine(interaction, { text: '', action: { id: 'submit-answer', value: answer } }, runtime, false);
}

/** The long-answer form behind "Answer in a form" (and the daily quiz's answer button). */
export function answerModal(ownerId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeComponentId({ action: 'submit-answer', owner: ownerId }),
    title: 'Your answer',
    components: [
      {
        type: ComponentType.Label,
        label: 'Answer',
        description: 'Write it as you would say it in the interview.',
        component: {
          type: ComponentType.TextInput,
          custom_id: ANSWER_FIELD,
          style: TextInputStyle.Paragraph,
          min_length: 1,
          max_length: DISCORD_LIMITS.textInputMax,
          required: true,
        },
      },
    ],
  };
}

/**
 * Asks the engine and answers the interaction: directly when the engine is quick, otherwise
 * deferred first (before `deferAfterMs`, well inside Discord's 3 s) and edited when done.
 */
async function runEngine(interaction: EngineInteraction, fields: Pick<IncomingMessage, 'text' | 'action' | 'fromSlashCommand'>, runtime: DiscordRuntime, privateIfSlow: boolean): Promise<void> {
  const sink = new InteractionSink(interaction);
  const defer = (ephemeral: boolean) =>
    sink.defer(ephemeral).catch((error: unknown) => runtime.logger.warn({ error: describeDiscordError(error) }, 'discord: could not defer an interaction'));
  const pending = askEngine(runtime.engine, interactionToIncoming(interaction, fields), runtime.logger, true);
  if (!(await settlesWithin(pending, runtime.deferAfterMs))) await defer(privateIfSlow);
  const replies = await pending;
  const channel = interaction.channel;
  // Opening a thread takes a few REST calls: acknowledge first.
  if (sink.isFresh && replies.some((reply) => reply.openThread) && canHostThread(channel)) await defer(true);
  await deliverReplies(
    replies,
    {
      primary: sink,
      private: sink,
      ...(channel?.isSendable() ? { fallback: new ChannelSink(channel) } : {}),
      channel,
      askerId: interaction.user.id,
      privatePointer: true,
    },
    runtime,
  );
  await sink.settle().catch((error: unknown) => runtime.logger.warn({ error: describeDiscordError(error) }, 'discord: could not close an interaction'));
}
