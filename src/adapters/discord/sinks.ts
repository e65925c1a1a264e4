import {
  MessageFlags,
  type BaseMessageOptions,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type SendableChannels,
  type User,
} from 'discord.js';
import { DiscordErrorCode, hasDiscordCode } from './errors.js';
import type { DiscordPayload } from './render.js';

/** Somewhere a rendered message can be sent. Resolves to the message id when Discord returns one. */
export interface ReplySink {
  send(payload: DiscordPayload): Promise<string | undefined>;
}

export function messageOptions(payload: DiscordPayload): BaseMessageOptions {
  return {
    content: payload.content ?? '',
    embeds: payload.embeds,
    components: payload.components,
    files: payload.files,
    allowedMentions: payload.allowedMentions,
  };
}

/** A channel, thread or DM; the first message can be a reply to the user's message. */
export class ChannelSink implements ReplySink {
  /** Ids of the messages sent so far, in order. */
  readonly sent: string[] = [];

  constructor(
    readonly channel: SendableChannels,
    private replyTo?: string,
  ) {}

  async send(payload: DiscordPayload): Promise<string> {
    const reference = this.replyTo ? { reply: { messageReference: this.replyTo, failIfNotExists: false } } : {};
    const sent = await this.channel.send({ ...messageOptions(payload), ...reference });
    this.replyTo = undefined;
    this.sent.push(sent.id);
    return sent.id;
  }
}

/**
 * Private replies to a message (not an interaction): sent by DM. When the user does not accept
 * DMs from server members, a short note goes to `fallback` instead; the private content is never
 * posted publicly.
 */
export class DirectMessageSink implements ReplySink {
  private refused = false;

  constructor(
    private readonly user: User,
    private readonly fallback: ReplySink,
  ) {}

  async send(payload: DiscordPayload): Promise<string | undefined> {
    if (this.refused) return undefined;
    try {
      const channel = await this.user.createDM();
      return (await channel.send(messageOptions(payload))).id;
    } catch (error) {
      if (!hasDiscordCode(error, DiscordErrorCode.CannotSendToUser)) throw error;
      this.refused = true;
      return this.fallback.send({
        content: `<@${this.user.id}> I tried to send you a private reply but your DMs are closed. Use \`/coach\` to get private answers right here.`,
        embeds: [],
        components: [],
        files: [],
        allowedMentions: { parse: [], users: [this.user.id], repliedUser: false },
        ephemeral: false,
      });
    }
  }
}

export type EngineInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * Answers one interaction the way Discord requires: the first response (reply or defer) within
 * 3 seconds, then edits of the deferred reply, then follow-ups. Ephemerality is fixed when
 * deferring; a reply of the other kind resolves the deferred message with a short note and follows up.
 */
export class InteractionSink implements ReplySink {
  private state: 'fresh' | 'deferred' | 'answered' = 'fresh';
  private deferredEphemeral = false;

  constructor(private readonly interaction: EngineInteraction) {}

  get isFresh(): boolean {
    return this.state === 'fresh';
  }

  /** Shows "thinking..." (within the 3 s window); later sends edit it. */
  async defer(ephemeral: boolean): Promise<void> {
    if (this.state !== 'fresh') return;
    await this.interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.state = 'deferred';
    this.deferredEphemeral = ephemeral;
  }

  async send(payload: DiscordPayload): Promise<string | undefined> {
    const options = messageOptions(payload);
    const flags = payload.ephemeral ? MessageFlags.Ephemeral : undefined;
    if (this.state === 'fresh') {
      await this.interaction.reply({ ...options, ...(flags ? { flags } : {}) });
      this.state = 'answered';
      return undefined;
    }
    if (this.state === 'deferred') {
      this.state = 'answered';
      if (payload.ephemeral === this.deferredEphemeral) return (await this.interaction.editReply(options)).id;
      // The deferred message keeps its visibility: close it, then send this one with the right one.
      await this.interaction.editReply({ content: payload.ephemeral ? 'I sent you a private reply.' : 'Posted below.', embeds: [], components: [], allowedMentions: { parse: [] } });
    }
    return (await this.interaction.followUp({ ...options, ...(flags ? { flags } : {}) })).id;
  }

  /** Makes sure the interaction is answered even when there was nothing to say. */
  async settle(): Promise<void> {
    if (this.state === 'fresh') {
      if (this.interaction.isChatInputCommand()) await this.interaction.reply({ content: 'Done.', flags: MessageFlags.Ephemeral });
      else await this.interaction.deferUpdate();
      this.state = 'answered';
      return;
    }
    if (this.state === 'deferred') {
      this.state = 'answered';
      await this.interaction.deleteReply().catch((error: unknown) => {
        if (!hasDiscordCode(error, DiscordErrorCode.UnknownWebhook)) throw error;
      });
    }
  }
}
