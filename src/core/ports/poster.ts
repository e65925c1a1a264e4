import type { Reply } from '../model/message.js';

/** Where a proactive post landed, so later replies can go into its thread. */
export interface PostedRef {
  channelId: string;
  /** Thread id to answer in (Slack: the post's ts; Discord: the created thread's id). */
  threadId?: string;
  messageId?: string;
}

/**
 * Lets the core post without a user message first (daily quiz, quiz reveal, weekly board).
 * Each chat adapter implements it for its platform.
 */
export interface ChannelPoster {
  readonly platform: 'discord' | 'slack' | 'terminal' | 'test';
  /** Posts replies to a channel; when `openThread` is set on the first reply, opens a thread for answers. */
  post(channelId: string, replies: Reply[]): Promise<PostedRef>;
  /** Posts into an existing thread. */
  postInThread(ref: PostedRef, replies: Reply[]): Promise<void>;
  /** Adds a reaction (Slack emoji name / Discord unicode emoji) to a user's message; best effort. */
  react?(ref: PostedRef, messageId: string, emoji: string): Promise<void>;
}
