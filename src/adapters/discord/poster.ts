import { ChannelType, ThreadAutoArchiveDuration, type Client, type SendableChannels } from 'discord.js';
import type { Reply } from '../../core/model/message.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ChannelPoster, PostedRef } from '../../core/ports/poster.js';
import { UserFacingError } from '../../shared/result.js';
import { ANYONE } from './custom-id.js';
import { sendReply } from './delivery.js';
import { describeDiscordError } from './errors.js';
import { DISCORD_LIMITS } from './limits.js';
import { truncate } from './markup.js';
import { ChannelSink } from './sinks.js';

/**
 * Posts without a user message first (daily quiz, reveals, weekly board). Buttons on these posts
 * can be pressed by anyone, and nobody is pinged.
 */
export class DiscordChannelPoster implements ChannelPoster {
  readonly platform = 'discord' as const;

  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async post(channelId: string, replies: Reply[]): Promise<PostedRef> {
    const channel = await this.sendable(channelId);
    const sink = await this.sendAll(channel, replies);
    const messageId = sink.sent[0];
    if (!messageId) throw new Error(`discord: nothing could be posted to channel ${channelId}`);
    const opening = replies[0]?.openThread;
    if (!opening || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) return { channelId, messageId };
    try {
      const thread = await channel.threads.create({
        name: truncate(opening.name, DISCORD_LIMITS.threadName),
        startMessage: messageId,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      });
      return { channelId, threadId: thread.id, messageId };
    } catch (error) {
      this.logger.warn({ channelId, error: describeDiscordError(error) }, 'discord: could not open a thread on a post; answers go to the channel');
      return { channelId, messageId };
    }
  }

  async postInThread(ref: PostedRef, replies: Reply[]): Promise<void> {
    await this.sendAll(await this.sendable(ref.threadId ?? ref.channelId), replies);
  }

  async react(ref: PostedRef, messageId: string, emoji: string): Promise<void> {
    try {
      const channel = await this.sendable(ref.threadId ?? ref.channelId);
      await channel.messages.react(messageId, emoji);
    } catch (error) {
      this.logger.debug({ messageId, error: describeDiscordError(error) }, 'discord: reaction failed');
    }
  }

  private async sendable(channelId: string): Promise<SendableChannels> {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new UserFacingError('discord.channel', `Discord channel ${channelId} is not one the bot can post in.`);
    return channel;
  }

  private async sendAll(channel: SendableChannels, replies: readonly Reply[]): Promise<ChannelSink> {
    const sink = new ChannelSink(channel);
    for (const reply of replies) await sendReply(sink, reply, { owner: ANYONE }, this.logger);
    return sink;
  }
}
