import { PermissionFlagsBits, type GuildMember, type Interaction, type Message, type TextBasedChannel, type User } from 'discord.js';
import type { Conversation, IncomingMessage } from '../../core/model/message.js';

/** `discord:<id>`, the engine's qualified user id. */
export function qualifiedUserId(userId: string): string {
  return `discord:${userId}`;
}

function displayName(user: User): string {
  return user.globalName ?? user.username;
}

/** A thread is a channel of its own on Discord; the engine sees it as (parent channel, thread). */
export function conversationOf(channel: TextBasedChannel | null, channelId: string, inGuild: boolean): Conversation {
  if (channel?.isThread()) return { channelId: channel.parentId ?? channel.id, threadId: channel.id, isDirect: false };
  return { channelId, isDirect: !inGuild };
}

/** Manage Server, as computed by discord.js from the member's roles (owner included). */
function managesGuild(member: GuildMember | null): boolean {
  try {
    return member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false;
  } catch {
    return false;
  }
}

/** Removes `<@bot>` / `<@!bot>` and the bot's managed-role mention from typed text. */
export function stripBotMention(content: string, botId: string, botRoleId?: string): string {
  const mention = new RegExp(`<@!?${botId}>${botRoleId ? `|<@&${botRoleId}>` : ''}`, 'g');
  return content.replace(mention, ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

export function messageToIncoming(message: Message, text: string): IncomingMessage {
  return {
    platform: 'discord',
    userId: qualifiedUserId(message.author.id),
    userName: displayName(message.author),
    conversation: conversationOf(message.channel, message.channelId, message.inGuild()),
    text,
    isAdmin: managesGuild(message.member),
    messageId: message.id,
    receivedAt: message.createdAt,
  };
}

export function interactionToIncoming(interaction: Interaction, fields: Pick<IncomingMessage, 'text' | 'action' | 'fromSlashCommand'>): IncomingMessage {
  return {
    platform: 'discord',
    userId: qualifiedUserId(interaction.user.id),
    userName: displayName(interaction.user),
    conversation: conversationOf(interaction.channel, interaction.channelId ?? interaction.user.id, interaction.inGuild()),
    isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    messageId: interaction.id,
    receivedAt: interaction.createdAt,
    ...fields,
  };
}
