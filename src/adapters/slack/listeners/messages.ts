import type { App } from '@slack/bolt';
import { appMentionEventSchema, eventEnvelopeSchema, messageEventSchema, type MessageEvent } from '../payloads.js';
import type { SlackRuntime } from '../runtime.js';
import { decodeSlackText, mentionsUser, stripBotMention } from '../text.js';

/** Subtypes that are still a person writing; every other subtype (edits, deletions, joins, bots) is ignored. */
const USER_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

/**
 * Which `message` events may reach the engine: direct messages, and replies in threads (SessionThreads then
 * keeps those in interview threads by their owner and in quiz threads). Edits, deletions, bot messages and top-level channel chatter never do; a message that
 * mentions the bot in a channel is handled once, by `app_mention`.
 */
export function isCandidateMessage(message: MessageEvent, botUserId: string): boolean {
  if (message.subtype && !USER_SUBTYPES.has(message.subtype)) return false;
  if (message.hidden || message.bot_id || !message.user || message.user === botUserId) return false;
  if (message.channel_type === 'im') return true;
  if (mentionsUser(message.text, botUserId)) return false;
  return message.thread_ts !== undefined && message.thread_ts !== message.ts;
}

export function registerMessages(app: App, runtime: SlackRuntime): void {
  const { botUserId, threads } = runtime.deps;

  app.event('message', async ({ event, body }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success || !isCandidateMessage(parsed.data, botUserId)) return;
    const message = parsed.data;
    const slackUserId = message.user;
    if (!slackUserId) return;
    const teamId = eventEnvelopeSchema.safeParse(body).data?.team_id ?? runtime.deps.teamId;
    const isDirect = message.channel_type === 'im';
    runtime.track('message', async () => {
      if (!isDirect && message.thread_ts && !(await threads.isAnswer(message.channel, message.thread_ts, message.parent_user_id, slackUserId))) return;
      await runtime.converse(
        {
          teamId,
          slackUserId,
          conversation: { channelId: message.channel, isDirect, ...(message.thread_ts ? { threadId: message.thread_ts } : {}) },
          text: decodeSlackText(stripBotMention(message.text, botUserId)),
          messageId: `${message.channel}:${message.ts}`,
        },
        { channelId: message.channel, isDirect, slackUserId, ...(message.thread_ts ? { threadTs: message.thread_ts } : {}) },
      );
    });
  });

  app.event('app_mention', async ({ event, body }) => {
    const parsed = appMentionEventSchema.safeParse(event);
    if (!parsed.success) return;
    const mention = parsed.data;
    const slackUserId = mention.user;
    if (!slackUserId || mention.bot_id) return;
    const teamId = eventEnvelopeSchema.safeParse(body).data?.team_id ?? runtime.deps.teamId;
    runtime.track('mention', () =>
      runtime.converse(
        {
          teamId,
          slackUserId,
          conversation: { channelId: mention.channel, isDirect: false, ...(mention.thread_ts ? { threadId: mention.thread_ts } : {}) },
          text: decodeSlackText(stripBotMention(mention.text, botUserId)) || 'help',
          messageId: `${mention.channel}:${mention.ts}`,
        },
        {
          channelId: mention.channel,
          isDirect: false,
          slackUserId,
          // Answers to a mention go in a thread under it, so the channel stays clean.
          replyUnder: mention.ts,
          ...(mention.thread_ts ? { threadTs: mention.thread_ts } : {}),
        },
      ),
    );
  });
}
