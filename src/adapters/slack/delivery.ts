import type { RespondFn, webApi } from '@slack/bolt';
import { z } from 'zod';
import { reply as buildReply, type Conversation, type Reply } from '../../core/model/message.js';
import type { Engine } from '../../core/ports/engine.js';
import type { Logger } from '../../core/ports/logger.js';
import { hasCollapsedSections, renderReply, type RenderOptions, type SlackMessage } from './blocks.js';
import { describeError, newReferenceId } from './errors.js';
import { platformErrorCode } from './payloads.js';
import type { FairPostQueue } from './postQueue.js';
import { threadBlockId, threadMetadata, type SessionThreads, type ThreadOwner } from './threads.js';

/** Where the replies to one incoming Slack message go. */
export interface ReplyTarget {
  channelId: string;
  /** A DM with the bot: everything is posted flat, "private" replies included. */
  isDirect: boolean;
  /** The thread the conversation already lives in. */
  threadTs?: string;
  /** When not in a thread, plain replies go in a thread under this message (the user's @mention). */
  replyUnder?: string;
  /** Slack user who asked; ephemeral replies are for them. */
  slackUserId?: string;
  /** The slash command's or interaction's response_url (ephemeral replies work even where the bot is absent). */
  respond?: RespondFn;
}

export interface DeliveryDeps {
  client: webApi.WebClient;
  queue: FairPostQueue;
  engine: Pick<Engine, 'attachThread'>;
  logger: Logger;
  threads: SessionThreads;
  botName: string;
}

const postedSchema = z.object({ ts: z.string().min(1) });

/** A thread parent carries a block id that says "answers go here", and whose (see threads.ts). */
function markThreadParent(message: SlackMessage, thread: ThreadOwner): SlackMessage {
  const [first, ...rest] = message.blocks;
  return first ? { ...message, blocks: [{ ...first, block_id: threadBlockId(thread.owner) }, ...rest] } : message;
}

export function isPrivateReply(reply: Reply): boolean {
  // `/coach progress` is personal even if a caller forgets to mark it private.
  return reply.private || reply.kind === 'progress';
}

/**
 * Renders engine replies into Slack: channel posts, thread replies, ephemeral messages; opens the interview
 * thread and tells the engine about it. Posting failures never throw out of `deliver`: the engine has already
 * saved the user's progress, so a failure is logged with a reference id and the user is told, best effort.
 */
export class SlackDelivery {
  constructor(private readonly deps: DeliveryDeps) {}

  async deliver(replies: readonly Reply[], target: ReplyTarget): Promise<void> {
    let threadTs = target.threadTs;
    for (const [index, reply] of replies.entries()) {
      try {
        if (isPrivateReply(reply) && !target.isDirect) {
          await this.sendPrivate(reply, target, threadTs);
        } else if (reply.openThread && !threadTs && !target.isDirect) {
          // An interview started in a channel: its first message is the thread's parent, the rest goes inside.
          threadTs = await this.postReply(reply, target.channelId, undefined, this.ownerOf(target));
          await this.attach(reply, { channelId: target.channelId, threadId: threadTs, isDirect: false }, this.ownerOf(target));
        } else {
          const inThread = threadTs ?? target.replyUnder;
          await this.postReply(reply, target.channelId, inThread);
          // An interview running in a thread someone else started: replies there are answers too.
          if (reply.sessionRef && inThread && !target.isDirect) this.deps.threads.remember(target.channelId, inThread, this.ownerOf(target));
          if (reply.openThread) await this.attach(reply, { channelId: target.channelId, threadId: threadTs, isDirect: target.isDirect }, this.ownerOf(target));
        }
      } catch (error) {
        await this.recover(error, replies.slice(index), target);
        return;
      }
    }
  }

  /** Interview threads are answered by the user who started them. */
  private ownerOf(target: ReplyTarget): ThreadOwner {
    return target.slackUserId ? { owner: target.slackUserId } : {};
  }

  /**
   * Posts one reply (one or more messages) and returns the first message's ts. With `opensThread`, the first
   * message becomes a thread parent (marked with metadata and a block id) and the continuation messages go inside.
   */
  async postReply(reply: Reply, channelId: string, threadTs: string | undefined, opensThread?: ThreadOwner): Promise<string> {
    return this.withInlineFallback(reply, { offerAnswerForm: true }, async (messages) => {
      let firstTs: string | undefined;
      for (const message of messages) {
        const parent = opensThread && firstTs === undefined ? opensThread : undefined;
        const marked = parent ? markThreadParent(message, parent) : message;
        const ts = await this.postMessage(channelId, marked, threadTs ?? (opensThread ? firstTs : undefined), parent ? threadMetadata(reply.sessionRef, parent.owner) : undefined);
        if (parent) this.deps.threads.remember(channelId, ts, parent);
        firstTs ??= ts;
      }
      if (firstTs === undefined) throw new Error('a reply rendered to no Slack message');
      return firstTs;
    });
  }

  async postMessage(channelId: string, message: SlackMessage, threadTs?: string, metadata?: ReturnType<typeof threadMetadata>): Promise<string> {
    const { client, queue } = this.deps;
    const call = () =>
      client.chat.postMessage({
        channel: channelId,
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(metadata ? { metadata } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
    try {
      return postedSchema.parse(await queue.run(channelId, call)).ts;
    } catch (error) {
      // A public channel the bot has not joined yet: join (scope channels:join) and post again, once.
      if (platformErrorCode(error) !== 'not_in_channel' || !channelId.startsWith('C')) throw error;
      await queue.run(channelId, () => client.conversations.join({ channel: channelId }));
      return postedSchema.parse(await queue.run(channelId, call)).ts;
    }
  }

  private async sendPrivate(reply: Reply, target: ReplyTarget, threadTs: string | undefined): Promise<void> {
    const { respond, slackUserId } = target;
    if (!respond && !slackUserId) {
      this.deps.logger.warn({ kind: reply.kind, channel: target.channelId }, 'slack private reply without a user or response_url; not sent');
      return;
    }
    await this.withInlineFallback(reply, { offerAnswerForm: false }, async (messages) => {
      for (const message of messages) {
        if (respond) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
        } else if (slackUserId) {
          await this.deps.queue.run(target.channelId, () =>
            this.deps.client.chat.postEphemeral({
              channel: target.channelId,
              user: slackUserId,
              text: message.text,
              ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
              ...(threadTs ? { thread_ts: threadTs } : {}),
            }),
          );
        }
      }
    });
  }

  /** Collapsible containers are recent Block Kit; if Slack refuses the blocks, the reply is sent again inline. */
  private async withInlineFallback<T>(reply: Reply, options: RenderOptions, send: (messages: SlackMessage[]) => Promise<T>): Promise<T> {
    try {
      return await send(renderReply(reply, { ...options, collapsible: true }));
    } catch (error) {
      if (platformErrorCode(error) !== 'invalid_blocks' || !hasCollapsedSections(reply)) throw error;
      this.deps.logger.warn({ kind: reply.kind }, 'slack refused collapsible blocks; sending the reply inline');
      return send(renderReply(reply, { ...options, collapsible: false }));
    }
  }

  private async attach(reply: Reply, conversation: Conversation, thread: ThreadOwner): Promise<void> {
    if (conversation.threadId) this.deps.threads.remember(conversation.channelId, conversation.threadId, thread);
    if (!reply.sessionRef) {
      this.deps.logger.warn({ kind: reply.kind }, 'reply opens a thread but has no sessionRef; the engine was not told');
      return;
    }
    await this.deps.engine.attachThread(reply.sessionRef, conversation);
  }

  /** A post failed: fall back to an ephemeral copy where possible, otherwise log with a reference and tell the user. */
  private async recover(error: unknown, unsent: readonly Reply[], target: ReplyTarget): Promise<void> {
    const { logger } = this.deps;
    const code = platformErrorCode(error);
    // A slash command in a DM between people (the bot is not a member) can still be answered privately.
    if (code && target.respond) {
      logger.warn({ err: describeError(error), channel: target.channelId }, 'slack cannot post in this channel; replying ephemerally instead');
      try {
        const note = buildReply({
          kind: 'info',
          private: true,
          sections: [
            {
              body: target.isDirect
                ? `I can't post in this conversation (${code}). Talk to me in our own direct message (Apps → mle-coach) to run interviews.`
                : `I can't post in this channel (${code}). Invite me with \`/invite @${this.deps.botName}\`, or talk to me in a direct message.`,
            },
          ],
        });
        for (const unsentReply of [...unsent, note]) await this.sendPrivate({ ...unsentReply, private: true, openThread: undefined }, target, undefined);
        return;
      } catch (fallbackError) {
        logger.warn({ err: describeError(fallbackError) }, 'slack ephemeral fallback failed too');
      }
    }
    const reference = newReferenceId();
    logger.error(
      { reference, err: describeError(error), channel: target.channelId, thread: target.threadTs, unsent: unsent.map((reply) => reply.kind) },
      'slack could not post a reply; the user progress is already saved',
    );
    await this.notifyFailure(target, reference);
  }

  private async notifyFailure(target: ReplyTarget, reference: string): Promise<void> {
    const text = `Sorry, I couldn't post my reply (reference \`${reference}\`). Your answer is saved: \`/coach progress\` shows it, and \`repeat\` shows the current question again.`;
    try {
      if (target.respond) await target.respond({ response_type: 'ephemeral', replace_original: false, text });
      else if (target.slackUserId) {
        await this.deps.client.chat.postEphemeral({
          channel: target.channelId,
          user: target.slackUserId,
          text,
          ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        });
      }
    } catch (error) {
      this.deps.logger.warn({ reference, err: describeError(error) }, 'slack could not tell the user about the failed post either');
    }
  }
}
