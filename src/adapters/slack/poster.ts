import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/model/message.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ChannelPoster, PostedRef } from '../../core/ports/poster.js';
import { isPrivateReply, type SlackDelivery } from './delivery.js';
import { describeError } from './errors.js';

/**
 * Proactive posts (daily quiz, reveal, weekly board). Failures are thrown: the caller (the quiz scheduler)
 * decides what to do. Private replies have nobody to be private to and are skipped.
 */
export class SlackChannelPoster implements ChannelPoster {
  readonly platform = 'slack' as const;

  constructor(
    private readonly delivery: SlackDelivery,
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  async post(channelId: string, replies: Reply[]): Promise<PostedRef> {
    const publicReplies = this.publicOnly(replies);
    const [first, ...rest] = publicReplies;
    if (!first) return { channelId };
    const opensThread = Boolean(first.openThread);
    // A quiz thread is answered by anyone in the channel.
    const ts = await this.delivery.postReply(first, channelId, undefined, opensThread ? {} : undefined);
    const ref: PostedRef = { channelId, messageId: ts, ...(opensThread ? { threadId: ts } : {}) };
    for (const reply of rest) await this.delivery.postReply(reply, channelId, ref.threadId);
    return ref;
  }

  async postInThread(ref: PostedRef, replies: Reply[]): Promise<void> {
    for (const reply of this.publicOnly(replies)) await this.delivery.postReply(reply, ref.channelId, ref.threadId ?? ref.messageId);
  }

  async react(ref: PostedRef, messageId: string, emoji: string): Promise<void> {
    // Our IncomingMessage ids are `<channel>:<ts>`; a bare ts is accepted too.
    const ts = messageId.includes(':') ? messageId.slice(messageId.lastIndexOf(':') + 1) : messageId;
    try {
      await this.client.reactions.add({ channel: ref.channelId, timestamp: ts, name: emoji.replace(/:/g, '') });
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'slack reaction not added');
    }
  }

  private publicOnly(replies: readonly Reply[]): Reply[] {
    const kept = replies.filter((reply) => !isPrivateReply(reply));
    if (kept.length < replies.length) this.logger.warn({ skipped: replies.length - kept.length }, 'slack poster skipped private replies (no user to show them to)');
    return kept;
  }
}
