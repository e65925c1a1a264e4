import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { reply, type ActionId, type Conversation, type IncomingMessage, type Reply } from '../../core/model/message.js';
import type { Engine } from '../../core/ports/engine.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ReplyTarget, SlackDelivery } from './delivery.js';
import { describeError, newReferenceId } from './errors.js';
import type { FairPostQueue } from './postQueue.js';
import type { SessionThreads } from './threads.js';
import type { SlackUserDirectory } from './users.js';

/** One thing a Slack user said or clicked, before it becomes an IncomingMessage. */
export interface SlackInput {
  teamId: string;
  slackUserId: string;
  userName?: string;
  conversation: Conversation;
  text: string;
  action?: { id: ActionId; value?: string };
  /** `<channel>:<ts>` of the user's message (duplicate detection, reactions). */
  messageId?: string;
  /** From `/coach`: command words are commands even inside an interview thread. */
  fromSlashCommand?: boolean;
}

export interface SlackRuntimeDeps {
  engine: Engine;
  logger: Logger;
  client: webApi.WebClient;
  queue: FairPostQueue;
  delivery: SlackDelivery;
  users: SlackUserDirectory;
  threads: SessionThreads;
  /** The bot's own user id (`auth.test`), to recognise mentions and the bot's threads. */
  botUserId: string;
  /** Workspace of the bot token, when a payload does not say. */
  teamId: string;
  /** Tracks offered on the Home tab. */
  tracks: readonly string[];
}

const openedSchema = z.object({ channel: z.object({ id: z.string().min(1) }) });

/**
 * What every listener shares: turn Slack input into an IncomingMessage, call the engine, deliver the replies,
 * and keep count of work in flight so `stop()` can wait for it. Listeners ack first and hand work to `track`.
 */
export class SlackRuntime {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly dmChannels = new Map<string, string>();

  constructor(readonly deps: SlackRuntimeDeps) {}

  get logger(): Logger {
    return this.deps.logger;
  }

  /** Runs work after the ack; errors are logged with a reference id, never thrown back into Bolt. */
  track(label: string, work: () => Promise<void>): void {
    const running: Promise<void> = work()
      .catch((error: unknown) => {
        this.deps.logger.error({ reference: newReferenceId(), err: describeError(error), work: label }, 'slack work failed');
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Resolves when everything started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The engine's replies to `input`; an engine failure becomes an apology with a reference id. */
  async ask(input: SlackInput): Promise<Reply[]> {
    const facts = await this.deps.users.lookup(input.slackUserId);
    const message: IncomingMessage = {
      platform: 'slack',
      userId: `slack:${input.teamId}:${input.slackUserId}`,
      userName: input.userName ?? facts.name,
      conversation: input.conversation,
      text: input.text,
      isAdmin: facts.isAdmin,
      receivedAt: new Date(),
      ...(input.action ? { action: input.action } : {}),
      ...(input.messageId ? { messageId: input.messageId } : {}),
      ...(input.fromSlashCommand ? { fromSlashCommand: true } : {}),
    };
    this.deps.logger.debug(
      { user: message.userId, channel: input.conversation.channelId, thread: input.conversation.threadId, chars: input.text.length, action: input.action?.id },
      'slack message to the engine',
    );
    try {
      return await this.deps.engine.handle(message);
    } catch (error) {
      const reference = newReferenceId();
      this.deps.logger.error({ reference, err: describeError(error), user: message.userId }, 'engine failed on a Slack message');
      return [reply({ kind: 'error', private: true, sections: [{ body: `Sorry, something went wrong on my side (reference \`${reference}\`). Please try again.` }] })];
    }
  }

  async converse(input: SlackInput, target: ReplyTarget): Promise<void> {
    const replies = await this.ask(input);
    await this.deps.delivery.deliver(replies, target);
  }

  /** The bot's DM channel with a user (`conversations.open`, scope `im:write`). */
  async directChannel(slackUserId: string): Promise<string> {
    const known = this.dmChannels.get(slackUserId);
    if (known) return known;
    const opened = openedSchema.parse(await this.deps.client.conversations.open({ users: slackUserId }));
    this.dmChannels.set(slackUserId, opened.channel.id);
    return opened.channel.id;
  }
}
