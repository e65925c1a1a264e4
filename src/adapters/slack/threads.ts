import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../core/ports/logger.js';
import { describeError } from './errors.js';
import { TtlSet } from './ttlSet.js';

/** Message metadata on every thread parent the bot opens for an interview or a quiz. */
export const THREAD_EVENT_TYPE = 'mle_coach_thread';
/** Also the first block's id, which any history read returns (metadata needs `include_all_metadata`). */
export const THREAD_BLOCK_ID = 'mle-coach-thread';

export function threadMetadata(sessionRef: string | undefined): { event_type: string; event_payload: Record<string, string> } {
  return { event_type: THREAD_EVENT_TYPE, event_payload: { session: sessionRef ?? '' } };
}

const repliesSchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string() }).optional(),
        blocks: z.array(z.object({ block_id: z.string().optional() })).optional(),
      }),
    )
    .default([]),
});

/**
 * Which threads hold an interview or a quiz, so that plain replies there are answers. Threads the bot opened
 * (or was told about) in this process are remembered; after a restart, a reply under one of the bot's own
 * messages is checked once with `conversations.replies` for the parent's marker (metadata or block id). Other threads under the
 * bot's messages (an `ask` answer people chat under) are left alone unless the bot is mentioned.
 */
export class SessionThreads {
  private readonly sessionThreads = new TtlSet(7 * 24 * 60 * 60_000, 50_000);
  private readonly otherThreads = new TtlSet(60 * 60_000, 50_000);
  private readonly checking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly botUserId: string,
  ) {}

  remember(channelId: string, threadTs: string): void {
    this.sessionThreads.add(`${channelId}:${threadTs}`);
  }

  isSessionThread(channelId: string, threadTs: string, parentUserId: string | undefined): Promise<boolean> {
    const key = `${channelId}:${threadTs}`;
    if (this.sessionThreads.has(key)) return Promise.resolve(true);
    if (parentUserId !== this.botUserId || this.otherThreads.has(key)) return Promise.resolve(false);
    const running = this.checking.get(key);
    if (running) return running;
    const check = this.checkParent(channelId, threadTs).finally(() => this.checking.delete(key));
    this.checking.set(key, check);
    return check;
  }

  private async checkParent(channelId: string, threadTs: string): Promise<boolean> {
    const key = `${channelId}:${threadTs}`;
    try {
      const replies = repliesSchema.parse(await this.client.conversations.replies({ channel: channelId, ts: threadTs, limit: 1, include_all_metadata: true }));
      const parent = replies.messages.find((message) => message.ts === threadTs);
      const isSession = parent?.metadata?.event_type === THREAD_EVENT_TYPE || Boolean(parent?.blocks?.some((block) => block.block_id === THREAD_BLOCK_ID));
      (isSession ? this.sessionThreads : this.otherThreads).add(key);
      return isSession;
    } catch (error) {
      // Better to pass one message too many to the engine than to drop an answer.
      this.logger.warn({ err: describeError(error), channel: channelId }, 'slack thread check failed; treating the reply as an answer');
      return true;
    }
  }
}
