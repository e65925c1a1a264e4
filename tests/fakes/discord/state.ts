import { snowflake } from './ids.js';
import { computePings, NO_PINGS, type Pings } from './mentions.js';
import type { AllowedMentionsJson, EmbedJson, MessageBody } from './validate.js';

/** Wire values used by the fake (Discord API v10). */
export const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 } as const;
export const ChannelKind = { GuildText: 0, DM: 1, PublicThread: 11, PrivateThread: 12 } as const;
export const Permission = {
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;
const MEMBER_PERMISSIONS =
  Permission.ViewChannel | Permission.SendMessages | Permission.ReadMessageHistory | Permission.UseApplicationCommands | Permission.CreatePublicThreads | Permission.SendMessagesInThreads;
const MessageFlag = { Ephemeral: 1 << 6, Loading: 1 << 7 } as const;

export interface UserJson {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: '0';
  avatar: null;
  bot?: boolean;
}

export interface ChannelJson {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  parent_id?: string | null;
  owner_id?: string;
  position?: number;
  permission_overwrites?: [];
  flags?: number;
  thread_metadata?: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean; invitable?: boolean };
  member_count?: number;
  message_count?: number;
  recipients?: UserJson[];
}

export interface AttachmentJson {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

export interface MessageJson {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: UserJson;
  member?: MemberJson;
  content: string;
  embeds: EmbedJson[];
  components: unknown[];
  attachments: AttachmentJson[];
  mentions: UserJson[];
  mention_roles: string[];
  mention_everyone: boolean;
  timestamp: string;
  edited_timestamp: string | null;
  tts: false;
  pinned: false;
  type: number;
  flags: number;
  message_reference?: { message_id: string; channel_id: string; guild_id?: string };
  webhook_id?: string;
  application_id?: string;
}

export interface MemberJson {
  roles: string[];
  joined_at: string;
  deaf: false;
  mute: false;
  flags: 0;
  nick: null;
  avatar: null;
  premium_since: null;
  pending: false;
  communication_disabled_until: null;
  user?: UserJson;
  permissions?: string;
}

/** A message as the fake keeps it: the wire JSON plus what a test wants to check. */
export interface StoredMessage {
  json: MessageJson;
  via: 'user' | 'channel' | 'interaction' | 'followup';
  ephemeral: boolean;
  /** A deferred "thinking..." response not yet edited. */
  loading: boolean;
  deleted: boolean;
  /** Who was notified when the message was created (edits never ping). */
  pings: Pings;
  allowedMentions?: AllowedMentionsJson;
  interactionId?: string;
  edits: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  userId: string;
  channelId: string;
  dispatchedAt: number;
  callbacks: { type: number; data: unknown; at: number }[];
  originalId?: string;
  /** Message the pressed component was on. */
  messageId?: string;
  followupIds: string[];
}

export interface GuildMember {
  user: UserJson;
  roles: string[];
}

export interface RoleJson {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: 0;
  hoist: false;
  managed: boolean;
  mentionable: false;
  flags: 0;
  tags?: { bot_id: string };
}

function now(): string {
  return new Date().toISOString();
}

export function userJson(username: string, bot = false): UserJson {
  return { id: snowflake(), username, global_name: bot ? null : username[0]?.toUpperCase() + username.slice(1), discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

/** Everything the fake Discord knows: one guild, its channels, users, messages and interactions. */
export class FakeDiscordState {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly bot: UserJson = userJson('mle-coach', true);
  readonly guildId = snowflake();
  readonly botRoleId = snowflake();
  readonly adminRoleId = snowflake();
  readonly channels = new Map<string, ChannelJson>();
  readonly members = new Map<string, GuildMember>();
  readonly users = new Map<string, UserJson>();
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly roles: RoleJson[];
  /** Users who refuse DMs from server members (50007). */
  readonly closedDms = new Set<string>();
  readonly threadMembers = new Map<string, Set<string>>();
  readonly reactions: { channelId: string; messageId: string; emoji: string }[] = [];

  constructor(token: string) {
    this.token = token;
    this.users.set(this.bot.id, this.bot);
    this.roles = [
      { id: this.guildId, name: '@everyone', permissions: MEMBER_PERMISSIONS.toString(), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      { id: this.botRoleId, name: 'mle-coach', permissions: (MEMBER_PERMISSIONS | Permission.CreatePrivateThreads).toString(), position: 1, color: 0, hoist: false, managed: true, mentionable: false, flags: 0, tags: { bot_id: this.bot.id } },
      { id: this.adminRoleId, name: 'admins', permissions: Permission.ManageGuild.toString(), position: 2, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
    ];
    this.members.set(this.bot.id, { user: this.bot, roles: [this.botRoleId] });
  }

  addTextChannel(name: string): ChannelJson {
    const channel: ChannelJson = { id: snowflake(), type: ChannelKind.GuildText, guild_id: this.guildId, name, parent_id: null, position: this.channels.size, permission_overwrites: [], flags: 0 };
    this.channels.set(channel.id, channel);
    return channel;
  }

  addUser(username: string, options: { admin?: boolean } = {}): UserJson {
    const user = userJson(username);
    this.users.set(user.id, user);
    this.members.set(user.id, { user, roles: options.admin ? [this.adminRoleId] : [] });
    return user;
  }

  dmChannelFor(userId: string): ChannelJson {
    const existing = [...this.channels.values()].find((channel) => channel.type === ChannelKind.DM && channel.recipients?.[0]?.id === userId);
    if (existing) return existing;
    const user = this.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);
    const channel: ChannelJson = { id: snowflake(), type: ChannelKind.DM, recipients: [user], flags: 0 };
    this.channels.set(channel.id, channel);
    return channel;
  }

  createThread(parentId: string, name: string, type: number, ownerId: string, invitable?: boolean, id = snowflake()): ChannelJson {
    const thread: ChannelJson = {
      id,
      type,
      guild_id: this.guildId,
      name,
      parent_id: parentId,
      owner_id: ownerId,
      flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: now(), locked: false, ...(invitable === undefined ? {} : { invitable }) },
      member_count: 1,
      message_count: 0,
    };
    this.channels.set(thread.id, thread);
    this.threadMembers.set(thread.id, new Set([ownerId]));
    return thread;
  }

  memberJson(userId: string, withUser = false): MemberJson {
    const member = this.members.get(userId);
    const roles = member?.roles ?? [];
    const permissions = [this.guildId, ...roles].reduce((sum, roleId) => sum | BigInt(this.roles.find((role) => role.id === roleId)?.permissions ?? '0'), 0n);
    return {
      roles,
      joined_at: now(),
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      avatar: null,
      premium_since: null,
      pending: false,
      communication_disabled_until: null,
      ...(withUser && member ? { user: member.user, permissions: permissions.toString() } : {}),
    };
  }

  guildCreate(): Record<string, unknown> {
    const all = [...this.channels.values()];
    return {
      id: this.guildId,
      name: 'ML study group',
      icon: null,
      owner_id: snowflake(),
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      system_channel_flags: 0,
      features: [],
      roles: this.roles,
      emojis: [],
      stickers: [],
      channels: all.filter((channel) => channel.guild_id && channel.type === ChannelKind.GuildText),
      threads: all.filter((channel) => channel.type === ChannelKind.PublicThread || channel.type === ChannelKind.PrivateThread),
      members: [{ ...this.memberJson(this.bot.id), user: this.bot }],
      member_count: this.members.size,
      joined_at: now(),
      large: false,
      unavailable: false,
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  /** Stores a new message (from a user, the bot, or an interaction response). */
  addMessage(input: {
    channelId: string;
    author: UserJson;
    body: MessageBody;
    via: StoredMessage['via'];
    attachments?: AttachmentJson[];
    interactionId?: string;
    loading?: boolean;
  }): StoredMessage {
    const channel = this.channels.get(input.channelId);
    const content = input.body.content ?? '';
    const ephemeral = ((input.body.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
    const referenced = input.body.message_reference ? this.messages.get(input.body.message_reference.message_id) : undefined;
    const pings = input.loading ? NO_PINGS : computePings(content, input.body.allowed_mentions, referenced?.json.author.id);
    const mentionIds = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? '');
    const json: MessageJson = {
      id: snowflake(),
      channel_id: input.channelId,
      ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
      author: input.author,
      ...(channel?.guild_id && input.via === 'user' ? { member: this.memberJson(input.author.id) } : {}),
      content,
      embeds: input.body.embeds ?? [],
      components: input.body.components ?? [],
      attachments: input.attachments ?? [],
      mentions: mentionIds.map((id) => this.users.get(id)).filter((user): user is UserJson => Boolean(user)),
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1] ?? ''),
      mention_everyone: pings.everyone,
      timestamp: now(),
      edited_timestamp: null,
      tts: false,
      pinned: false,
      type: referenced ? 19 : 0,
      flags: (ephemeral ? MessageFlag.Ephemeral : 0) | (input.loading ? MessageFlag.Loading : 0),
      ...(referenced ? { message_reference: { message_id: referenced.json.id, channel_id: referenced.json.channel_id, ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}) } } : {}),
      ...(input.via === 'interaction' || input.via === 'followup' ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    };
    const stored: StoredMessage = {
      json,
      via: input.via,
      ephemeral,
      loading: input.loading ?? false,
      deleted: false,
      pings,
      ...(input.body.allowed_mentions ? { allowedMentions: input.body.allowed_mentions } : {}),
      ...(input.interactionId ? { interactionId: input.interactionId } : {}),
      edits: 0,
    };
    this.messages.set(json.id, stored);
    if (channel && channel.message_count !== undefined) channel.message_count += 1;
    return stored;
  }

  editMessage(stored: StoredMessage, body: MessageBody, attachments?: AttachmentJson[]): void {
    const json = stored.json;
    if (body.content !== undefined) json.content = body.content;
    if (body.embeds !== undefined) json.embeds = body.embeds;
    if (body.components !== undefined) json.components = body.components;
    if (attachments?.length) json.attachments = attachments;
    json.edited_timestamp = now();
    json.flags &= ~MessageFlag.Loading;
    stored.loading = false;
    stored.edits += 1;
  }
}
