import type { Message, SendableChannels } from 'discord.js';
import { reply } from '../../../core/model/message.js';
import { deliverReplies, sendReply } from '../delivery.js';
import { askEngine, settlesWithin } from '../engine-call.js';
import { describeDiscordError } from '../errors.js';
import { messageToIncoming, stripBotMention } from '../incoming.js';
import type { DiscordRuntime } from '../runtime.js';
import { ChannelSink, DirectMessageSink } from '../sinks.js';

const TYPING_RENEW_MS = 8_000;

/** Which messages are meant for the bot, and as what. */
type Addressed = { kind: 'ignore' } | { kind: 'text'; inBotThread: boolean } | { kind: 'unreadable'; threadId: string };

function classify(message: Message, runtime: DiscordRuntime, mentioned: boolean): Addressed {
  const channel = message.channel;
  if (!message.inGuild()) return { kind: 'text', inBotThread: false };
  if (channel.isThread() && channel.ownerId === runtime.botId) {
    const owner = runtime.threads.ownerOf(channel.id);
    // Someone else chatting in an interview thread is not answering.
    if (owner && owner !== message.author.id && !mentioned) return { kind: 'ignore' };
    const hasNothing = message.content === '' && message.attachments.size === 0 && message.stickers.size === 0 && message.embeds.length === 0;
    if (hasNothing && !runtime.messageContent) return { kind: 'unreadable', threadId: channel.id };
    return { kind: 'text', inBotThread: true };
  }
  return mentioned ? { kind: 'text', inBotThread: false } : { kind: 'ignore' };
}

function mentionsBot(message: Message, botId: string): { mentioned: boolean; roleId?: string } {
  const roleId = message.guild?.roles.botRoleFor(botId)?.id;
  const mentioned = message.mentions.users.has(botId) || (roleId !== undefined && message.mentions.roles.has(roleId));
  return roleId ? { mentioned, roleId } : { mentioned };
}

/**
 * DMs, mentions of the bot and messages in the bot's own threads (interview answers) go to the
 * engine as text in the plain grammar; everything else is ignored.
 */
export async function onMessage(message: Message, runtime: DiscordRuntime): Promise<void> {
  if (message.author.bot || message.system || message.webhookId) return;
  if (!message.channel.isSendable()) return;
  const { mentioned, roleId } = mentionsBot(message, runtime.botId);
  const addressed = classify(message, runtime, mentioned);
  if (addressed.kind === 'ignore') return;
  const here = new ChannelSink(message.channel);
  if (addressed.kind === 'unreadable') {
    if (runtime.threads.firstNoteFor(addressed.threadId)) await sendReply(here, contentIntentNote(message.client.user.username), { owner: message.author.id }, runtime.logger);
    return;
  }
  const text = stripBotMention(message.content, runtime.botId, roleId);
  const pending = askEngine(runtime.engine, messageToIncoming(message, text), runtime.logger, false);
  await showTypingUntil(message.channel, pending, runtime);
  const replies = await pending;
  // In channels the first reply quotes the user's message; in threads and DMs the flow is obvious.
  const primary = new ChannelSink(message.channel, addressed.inBotThread || !message.inGuild() ? undefined : message.id);
  await deliverReplies(
    replies,
    {
      primary,
      private: message.inGuild() ? new DirectMessageSink(message.author, primary) : primary,
      channel: message.channel,
      askerId: message.author.id,
      privatePointer: false,
    },
    runtime,
  );
}

/** "typing..." lasts about 10 s on Discord: renewed while a slow answer is being graded. */
async function showTypingUntil(channel: SendableChannels, pending: Promise<unknown>, runtime: DiscordRuntime): Promise<void> {
  if (await settlesWithin(pending, runtime.typingAfterMs)) return;
  do {
    await channel.sendTyping().catch((error: unknown) => runtime.logger.debug({ error: describeDiscordError(error) }, 'discord: typing indicator failed'));
  } while (!(await settlesWithin(pending, TYPING_RENEW_MS)));
}

function contentIntentNote(botName: string) {
  return reply({
    kind: 'info',
    sections: [
      {
        body: `I can't read plain messages in this thread: this bot runs without the Message Content intent. Press **Answer in a form** under the question, or mention me with your answer (\`@${botName} your answer\`).`,
      },
    ],
  });
}
