import { ChannelType, ThreadAutoArchiveDuration, type AnyThreadChannel, type TextBasedChannel, type TextChannel } from 'discord.js';
import type { Logger } from '../../core/ports/logger.js';
import { describeDiscordError } from './errors.js';
import { DISCORD_LIMITS } from './limits.js';
import { truncate } from './markup.js';

/**
 * Interview threads this process opened, with the user being interviewed. Other people's plain
 * messages there are chatter, not answers. After a restart the map is empty and every message in a
 * bot-owned thread is passed on; the engine knows whose session the thread belongs to.
 */
export class InterviewThreads {
  private readonly owners = new Map<string, string>();
  private readonly noted = new Set<string>();

  remember(threadId: string, ownerId: string): void {
    this.owners.set(threadId, ownerId);
  }

  ownerOf(threadId: string): string | undefined {
    return this.owners.get(threadId);
  }

  /** True the first time it is asked for a thread (one "I can't read this" note per thread). */
  firstNoteFor(threadId: string): boolean {
    if (this.noted.has(threadId)) return false;
    this.noted.add(threadId);
    return true;
  }
}

/** Text channels can hold private and public threads; DMs, threads and other kinds continue in place. */
export function canHostThread(channel: TextBasedChannel | null): channel is TextChannel {
  return channel?.type === ChannelType.GuildText;
}

/**
 * Opens the thread an interview continues in: private when the server allows it (the bot needs
 * "Create Private Threads"), else public, else undefined (the interview stays in the channel).
 * The user is added so a private thread shows up for them.
 */
export async function openInterviewThread(channel: TextChannel, name: string, userId: string, logger: Logger): Promise<AnyThreadChannel | undefined> {
  const base = { name: truncate(name.trim() || 'Mock interview', DISCORD_LIMITS.threadName), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay, reason: 'mle-coach interview' };
  let thread: AnyThreadChannel | undefined;
  try {
    // Invitable (the default): with `invitable: false` only moderators (Manage Threads) could add the user.
    thread = await channel.threads.create({ ...base, type: ChannelType.PrivateThread });
  } catch (error) {
    logger.info({ channelId: channel.id, error: describeDiscordError(error) }, 'discord: private thread refused, trying a public one');
  }
  if (!thread) {
    try {
      thread = await channel.threads.create({ ...base, type: ChannelType.PublicThread });
    } catch (error) {
      logger.warn({ channelId: channel.id, error: describeDiscordError(error) }, 'discord: cannot open a thread, the interview continues in the channel');
      return undefined;
    }
  }
  try {
    await thread.members.add(userId);
  } catch (error) {
    logger.warn({ threadId: thread.id, error: describeDiscordError(error) }, 'discord: could not add the user to the interview thread');
  }
  return thread;
}
