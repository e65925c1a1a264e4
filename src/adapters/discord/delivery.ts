import type { TextBasedChannel } from 'discord.js';
import { reply as makeReply, type Reply } from '../../core/model/message.js';
import type { Engine } from '../../core/ports/engine.js';
import type { Logger } from '../../core/ports/logger.js';
import { describeDiscordError } from './errors.js';
import { renderPlainReply, renderReply, type RenderOptions } from './render.js';
import { ChannelSink, type ReplySink } from './sinks.js';
import { canHostThread, openInterviewThread, type InterviewThreads } from './threads.js';

export interface DeliveryDeps {
  engine: Engine;
  logger: Logger;
  threads: InterviewThreads;
}

/** Where the replies to one user request go. */
export interface DeliveryTarget {
  /** Public replies, until an interview moves into a thread. */
  primary: ReplySink;
  /** `Reply.private` replies: ephemeral interaction replies, or DMs for plain messages. */
  private: ReplySink;
  /** Tried when `primary` fails for a public reply (e.g. an expired interaction token). */
  fallback?: ReplySink;
  /** The channel the request came from: interviews open their thread under it. */
  channel: TextBasedChannel | null;
  /** Discord id of the user who asked: owns the buttons and is the only one who may be pinged. */
  askerId: string;
  /** Whether the "your interview continues in #thread" pointer is private (interactions) or public. */
  privatePointer: boolean;
}

/**
 * Renders and sends the engine's replies in order. A reply with `openThread` opens the interview
 * thread, tells the engine (`attachThread`) before the question is shown, and every later reply
 * goes there. Failures are logged and never thrown: the engine has already stored the outcome.
 */
export async function deliverReplies(replies: readonly Reply[], target: DeliveryTarget, deps: DeliveryDeps): Promise<void> {
  let publicSink = target.primary;
  let movedToThread = false;
  const render: RenderOptions = { owner: target.askerId, askerId: target.askerId };
  for (const reply of replies) {
    if (reply.openThread && !reply.private && !movedToThread) {
      const threadSink = await moveToThread(reply, target, deps);
      if (threadSink) {
        publicSink = threadSink;
        movedToThread = true;
        continue;
      }
    }
    const sink = reply.private ? target.private : publicSink;
    const fallback = reply.private || movedToThread ? undefined : target.fallback;
    await sendReply(sink, reply, render, deps.logger, fallback);
  }
}

async function moveToThread(reply: Reply, target: DeliveryTarget, deps: DeliveryDeps): Promise<ReplySink | undefined> {
  const channel = target.channel;
  if (!reply.openThread || !canHostThread(channel)) return undefined;
  const thread = await openInterviewThread(channel, reply.openThread.name, target.askerId, deps.logger);
  if (!thread) return undefined;
  if (reply.sessionRef) {
    try {
      // Before the question is visible, so the very first answer already counts.
      await deps.engine.attachThread(reply.sessionRef, { channelId: channel.id, threadId: thread.id, isDirect: false });
    } catch (error) {
      deps.logger.error({ sessionRef: reply.sessionRef, threadId: thread.id, error: describeDiscordError(error) }, 'discord: attachThread failed, the interview stays in the channel');
      await thread.delete('mle-coach: interview could not be attached').catch(() => undefined);
      return undefined;
    }
  }
  deps.threads.remember(thread.id, target.askerId);
  const sink = new ChannelSink(thread);
  await sendReply(sink, reply, { owner: target.askerId, askerId: target.askerId, mentionAsker: true }, deps.logger);
  const pointer = makeReply({ kind: 'info', private: target.privatePointer, sections: [{ body: `Your interview continues in <#${thread.id}>.` }] });
  await sendReply(target.privatePointer ? target.private : target.primary, pointer, { owner: target.askerId, askerId: target.askerId }, deps.logger);
  return sink;
}

/**
 * Sends one reply; if Discord refuses it (e.g. an embed it will not take, or the sink is gone),
 * sends the plain-text rendering, to `fallback` when given. Returns false when nothing got through.
 */
export async function sendReply(sink: ReplySink, reply: Reply, options: RenderOptions, logger: Logger, fallback?: ReplySink): Promise<boolean> {
  const payloads = renderReply(reply, options);
  for (const payload of payloads) {
    try {
      await sink.send(payload);
    } catch (error) {
      logger.warn({ kind: reply.kind, sessionRef: reply.sessionRef, error: describeDiscordError(error) }, 'discord: sending a reply failed, retrying as plain text');
      return sendPlain(fallback ?? sink, reply, options, logger);
    }
  }
  return true;
}

async function sendPlain(sink: ReplySink, reply: Reply, options: RenderOptions, logger: Logger): Promise<boolean> {
  try {
    for (const payload of renderPlainReply(reply, options)) await sink.send(payload);
    return true;
  } catch (error) {
    // The engine already stored what this reply reports (e.g. a graded answer); `repeat`/`progress` show it again.
    logger.error({ kind: reply.kind, sessionRef: reply.sessionRef, error: describeDiscordError(error) }, 'discord: reply could not be delivered');
    return false;
  }
}
