import { incomingMessageSchema } from './message.js';
import type { z } from 'zod';

/** An IncomingMessage after validation, with defaults filled. */
export type NormalizedMessage = z.output<typeof incomingMessageSchema>;

export function conversationKey(conversation: { channelId: string; threadId?: string | undefined }): string {
  return `${conversation.channelId}:${conversation.threadId ?? ''}`;
}
