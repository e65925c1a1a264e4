import type { Conversation, IncomingMessage, Reply } from '../model/message.js';

/**
 * The platform-neutral conversation engine every adapter talks to.
 * Adapters translate platform events to IncomingMessage, call `handle`, and render the replies.
 */
export interface Engine {
  /**
   * Handles one message. Messages of one user are processed in order; different users in parallel.
   * Everything the user will see is committed to storage before this resolves.
   */
  handle(message: IncomingMessage): Promise<Reply[]>;
  /**
   * After rendering a reply with `openThread`, the adapter tells the engine where the thread is,
   * so that the user's messages there count as answers. `sessionRef` is `Reply.sessionRef`.
   */
  attachThread(sessionRef: string, conversation: Conversation): Promise<void>;
}
