import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { randomToken, snowflake } from './ids.js';
import { FakeRest } from './rest.js';
import { ChannelKind, FakeDiscordState, Intent, type ChannelJson, type FakeInteraction, type StoredMessage, type UserJson } from './state.js';
import { waitFor } from './wait.js';

export interface FakeDiscordOptions {
  token?: string;
  heartbeatIntervalMs?: number;
  /** False: the Message Content intent is not enabled in the "portal" (IDENTIFY with it gets 4014). */
  allowMessageContent?: boolean;
  /** False: the bot may not create private threads (50013). */
  privateThreads?: boolean;
  interactionDeadlineMs?: number;
}

type OptionValue = string | number;

/**
 * A local Discord for tests: REST under `http://127.0.0.1:<port>/api/v10` and a plain-JSON gateway
 * websocket on the same port. One guild with a #general channel; tests add users and act as them
 * (messages, slash commands, button presses, modal submissions) and inspect what the bot sent.
 */
export class FakeDiscord {
  readonly state: FakeDiscordState;
  readonly rest: FakeRest;
  readonly gateway: FakeGateway;
  readonly general: ChannelJson;
  private readonly commandId = snowflake();

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.state = new FakeDiscordState(options.token ?? 'fake-bot-token');
    this.general = this.state.addTextChannel('general');
    this.gateway = new FakeGateway(server, this.state, { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, allowMessageContent: options.allowMessageContent ?? true }, () => this.gatewayUrl);
    this.rest = new FakeRest(this.state, () => this.gateway, () => this.gatewayUrl, {
      privateThreads: options.privateThreads ?? true,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
    });
    server.on('request', (request, response) => {
      this.rest.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ code: 0, message: `fake discord crashed: ${String(error)}` }));
      });
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Value for discord.js `rest.api` / DISCORD_REST_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get token(): string {
    return this.state.token;
  }

  get bot(): UserJson {
    return this.state.bot;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(username: string, options: { admin?: boolean } = {}): UserJson {
    return this.state.addUser(username, options);
  }

  /**
   * A user posts a message. As on Discord, without the Message Content intent the bot receives an
   * empty `content` for guild messages that do not mention it.
   */
  say(user: UserJson, channelId: string, content: string, options: { replyTo?: string } = {}): StoredMessage {
    const channel = this.channel(channelId);
    const stored = this.state.addMessage({
      channelId,
      author: user,
      body: { content, ...(options.replyTo ? { message_reference: { message_id: options.replyTo } } : {}) },
      via: 'user',
    });
    const isDm = channel.type === ChannelKind.DM;
    const repliesToBot = options.replyTo ? this.state.messages.get(options.replyTo)?.json.author.id === this.bot.id : false;
    const mentionsBot = stored.json.mentions.some((mentioned) => mentioned.id === this.bot.id) || repliesToBot;
    const readable = isDm || mentionsBot || this.gateway.has(Intent.MessageContent);
    // Like Discord, MESSAGE_CREATE carries `channel_type` (discord.js needs it for uncached DM channels).
    const wire = { ...(readable ? stored.json : { ...stored.json, content: '', embeds: [], attachments: [], components: [] }), channel_type: channel.type };
    if (this.gateway.has(isDm ? Intent.DirectMessages : Intent.GuildMessages)) this.gateway.dispatch('MESSAGE_CREATE', wire);
    return stored;
  }

  /** `@mle-coach <text>` in a channel. */
  mention(user: UserJson, channelId: string, text: string): StoredMessage {
    return this.say(user, channelId, `<@${this.bot.id}> ${text}`);
  }

  dm(user: UserJson, content: string): StoredMessage {
    return this.say(user, this.state.dmChannelFor(user.id).id, content);
  }

  /** `/coach <subcommand> option:value ...` */
  slash(user: UserJson, channelId: string, subcommand: string, options: Record<string, OptionValue> = {}): FakeInteraction {
    const data = { id: this.commandId, name: 'coach', type: 1, options: [{ type: 1, name: subcommand, options: commandOptions(options) }] };
    return this.interact(2, user, channelId, data);
  }

  /** Typing in an autocompleted option of `/coach <subcommand>`. */
  autocomplete(user: UserJson, channelId: string, subcommand: string, focused: { name: string; value: string }): FakeInteraction {
    const data = { id: this.commandId, name: 'coach', type: 1, options: [{ type: 1, name: subcommand, options: [{ type: 3, name: focused.name, value: focused.value, focused: true }] }] };
    return this.interact(4, user, channelId, data);
  }

  /** Presses the button with `customId` on a message the bot sent. */
  press(user: UserJson, messageId: string, customId: string): FakeInteraction {
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`fake discord: no message ${messageId}`);
    return this.interact(3, user, message.json.channel_id, { custom_id: customId, component_type: 2 }, message);
  }

  /** Submits the modal `customId` (as shown by a button on `messageId`) with text input values. */
  submitModal(user: UserJson, channelId: string, customId: string, values: Record<string, string>, messageId?: string): FakeInteraction {
    const components = Object.entries(values).map(([inputId, value], index) => ({ type: 18, id: index * 2 + 1, component: { type: 4, id: index * 2 + 2, custom_id: inputId, value } }));
    const message = messageId ? this.state.messages.get(messageId) : undefined;
    return this.interact(5, user, channelId, { custom_id: customId, components }, message);
  }

  private interact(type: number, user: UserJson, channelId: string, data: unknown, message?: StoredMessage): FakeInteraction {
    const channel = this.channel(channelId);
    const interaction: FakeInteraction = { id: snowflake(), token: `itoken-${randomToken()}`, type, userId: user.id, channelId, dispatchedAt: Date.now(), callbacks: [], followupIds: [], ...(message ? { messageId: message.json.id } : {}) };
    this.state.interactions.set(interaction.id, interaction);
    const inGuild = Boolean(channel.guild_id);
    this.gateway.dispatch('INTERACTION_CREATE', {
      id: interaction.id,
      application_id: this.state.applicationId,
      type,
      token: interaction.token,
      version: 1,
      data,
      channel_id: channelId,
      channel,
      ...(inGuild ? { guild_id: this.state.guildId, member: this.state.memberJson(user.id, true), guild_locale: 'en-US' } : { user }),
      ...(message ? { message: message.json } : {}),
      app_permissions: '2251799813685247',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: inGuild ? { '0': this.state.guildId } : { '1': user.id },
      context: inGuild ? 0 : 1,
      attachment_size_limit: 10_485_760,
    });
    return interaction;
  }

  private channel(channelId: string): ChannelJson {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`fake discord: no channel ${channelId}`);
    return channel;
  }

  // ---- inspection ----

  /** What the bot shows in a channel or thread, oldest first (ephemeral ones included, flagged). */
  botMessages(channelId: string): StoredMessage[] {
    return [...this.state.messages.values()].filter((message) => message.json.channel_id === channelId && message.json.author.id === this.bot.id && !message.deleted && !message.loading);
  }

  /** Threads the bot opened under a channel. */
  threadsOf(channelId: string): ChannelJson[] {
    return [...this.state.channels.values()].filter((channel) => channel.parent_id === channelId);
  }

  dmChannelOf(user: UserJson): ChannelJson {
    return this.state.dmChannelFor(user.id);
  }

  /** Waits until the bot has posted a message in `channelId` matching `predicate`. */
  async waitForBotMessage(channelId: string, predicate: (text: string, message: StoredMessage) => boolean, what: string, timeoutMs = 5_000): Promise<StoredMessage> {
    return waitFor(() => this.botMessages(channelId).find((message) => predicate(textOf(message), message)), what, timeoutMs);
  }

  async waitForCallback(interaction: FakeInteraction, what = 'an interaction callback', timeoutMs = 5_000): Promise<{ type: number; data: unknown; at: number }> {
    return waitFor(() => interaction.callbacks[0], what, timeoutMs);
  }

  /** Everyone's messages in a channel as text, for failure messages. */
  transcript(channelId: string): string {
    return [...this.state.messages.values()]
      .filter((message) => message.json.channel_id === channelId && !message.deleted)
      .map((message) => `[${message.json.author.username}${message.ephemeral ? ' (ephemeral)' : ''}] ${textOf(message)}`)
      .join('\n');
  }

  /** Every custom id on a message's buttons. */
  customIds(message: StoredMessage): string[] {
    return message.json.components.flatMap((row) => {
      const components = (row as { components?: { custom_id?: string }[] }).components ?? [];
      return components.map((component) => component.custom_id ?? '');
    });
  }
}

/** Content and every embed text of a message, for assertions. */
export function textOf(message: StoredMessage): string {
  const embeds = message.json.embeds.flatMap((embed) => [embed.title, embed.description, ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]), embed.footer?.text]);
  return [message.json.content, ...embeds].filter((part): part is string => Boolean(part)).join('\n');
}

function commandOptions(options: Record<string, OptionValue>): { type: number; name: string; value: OptionValue }[] {
  return Object.entries(options).map(([name, value]) => ({ type: typeof value === 'number' ? 4 : 3, name, value }));
}
