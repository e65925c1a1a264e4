import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../core/ports/logger.js';
import { describeError } from './errors.js';
import { TtlMap } from './ttlSet.js';

/** Message metadata on every thread parent the bot opens for an interview or a quiz. */
export const THREAD_EVENT_TYPE = 'mle_coach_thread';
/** Also the first block's id (`mle-coach-thread[:<owner>]`), which any history read returns. */
export const THREAD_BLOCK_ID = 'mle-coach-thread';

/** Who may answer in a thread: one Slack user (an interview) or anyone (a daily quiz). */
export interface ThreadOwner {
  owner?: string;
}

export function threadMetadata(sessionRef: string | undefined, owner: string | undefined): { event_type: string; event_payload: Record<string, string> } {
  return { event_type: THREAD_EVENT_TYPE, event_payload: { session: sessionRef ?? '', owner: owner ?? '' } };
}

export function threadBlockId(owner: string | undefined): string {
  return owner ? `${THREAD_BLOCK_ID}:${owner}` : THREAD_BLOCK_ID;
}

const repliesSchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string(), event_payload: z.object({ owner: z.string().optional() }).optional() }).optional(),
        blocks: z.array(z.object({ block_id: z.string().optional() })).optional(),
      }),
    )
    .default([]),
});

type Parent = z.infer<typeof repliesSchema>['messages'][number];

/** The thread marker of a parent message: undefined when it is not one of our threads. */
function markerOf(parent: Parent | undefined): ThreadOwner | undefined {
  if (!parent) return undefined;
  if (parent.metadata?.event_type === THREAD_EVENT_TYPE) {
    const owner = parent.metadata.event_payload?.owner;
    return owner ? { owner } : {};
  }
  const blockId = parent.blocks?.find((block) => block.block_id === THREAD_BLOCK_ID || block.block_id?.startsWith(`${THREAD_BLOCK_ID}:`))?.block_id;
  if (!blockId) return undefined;
  const owner = blockId.slice(THREAD_BLOCK_ID.length + 1);
  return owner ? { owner } : {};
}

/**
 * Which threads hold an interview (answered by the user who started it) or a quiz (answered by anyone), so
 * that plain replies there are answers. Threads the bot opened, or was told about, in this process are
 * remembered. After a restart, a reply under one of the bot's own messages is checked once with
 * `conversations.replies` for the parent's marker (metadata, or the first block's id). Other threads under the
 * bot's messages (an `ask` answer people chat under) are left alone unless the bot is mentioned.
 */
export class SessionThreads {
  private readonly known = new TtlMap<ThreadOwner | false>(7 * 24 * 60 * 60_000, 50_000);
  private readonly checking = new Map<string, Promise<ThreadOwner | false>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly botUserId: string,
  ) {}

  remember(channelId: string, threadTs: string, owner: ThreadOwner): void {
    this.known.set(`${channelId}:${threadTs}`, owner);
  }

  /** Whether `author`'s reply in this thread is an answer for the engine. */
  async isAnswer(channelId: string, threadTs: string, parentUserId: string | undefined, author: string): Promise<boolean> {
    const thread = await this.lookup(channelId, threadTs, parentUserId);
    return thread !== false && (thread.owner === undefined || thread.owner === author);
  }

  private lookup(channelId: string, threadTs: string, parentUserId: string | undefined): Promise<ThreadOwner | false> {
    const key = `${channelId}:${threadTs}`;
    const known = this.known.get(key);
    if (known !== undefined) return Promise.resolve(known);
    if (parentUserId !== this.botUserId) return Promise.resolve(false);
    const running = this.checking.get(key);
    if (running) return running;
    const check = this.checkParent(channelId, threadTs).finally(() => this.checking.delete(key));
    this.checking.set(key, check);
    return check;
  }

  private async checkParent(channelId: string, threadTs: string): Promise<ThreadOwner | false> {
    try {
      const replies = repliesSchema.parse(await this.client.conversations.replies({ channel: channelId, ts: threadTs, limit: 1, include_all_metadata: true }));
      const thread = markerOf(replies.messages.find((message) => message.ts === threadTs)) ?? false;
      this.known.set(`${channelId}:${threadTs}`, thread);
      return thread;
    } catch (error) {
      // Better to pass one message too many to the engine than to drop an answer (not cached: checked again next time).
      this.logger.warn({ err: describeError(error), channel: channelId }, 'slack thread check failed; treating the reply as an answer');
      return {};
    }
  }
}
