import { Events, type Client, type RESTOptions } from 'discord.js';
import type { AppContext, RunningAdapter } from '../../app/context.js';
import type { Logger } from '../../core/ports/logger.js';
import { UserFacingError } from '../../shared/result.js';
import { createDiscordClient, explainLoginError, isDisallowedIntents, loginAndWaitReady } from './client.js';
import { describeDiscordError } from './errors.js';
import { onInteraction } from './listeners/interactions.js';
import { onMessage } from './listeners/messages.js';
import { DiscordChannelPoster } from './poster.js';
import type { DiscordRuntime } from './runtime.js';
import { InterviewThreads } from './threads.js';

export { registerDiscordCommands } from './register.js';

export interface DiscordAdapterOptions {
  /** Extra REST options (tests: `retries: 0`, `globalRequestsPerSecond: Infinity`). */
  rest?: Partial<RESTOptions>;
  /**
   * Ask for the privileged Message Content intent (default true). When the Developer Portal has it
   * off, the adapter logs a warning and runs without it.
   */
  messageContent?: boolean;
  /** Defer interactions the engine has not answered after this many ms (default 1500; Discord allows 3000). */
  deferAfterMs?: number;
  /** Show "typing..." for messages not answered after this many ms (default 700). */
  typingAfterMs?: number;
  /** Give up when the gateway is not ready after this many ms (default 30000). */
  readyTimeoutMs?: number;
}

/**
 * Connects the bot to Discord and serves the engine: `/coach` slash commands, mentions and DMs in
 * the plain-text grammar, interviews in threads with Hint / Skip / End / "Answer in a form".
 * Resolves once the gateway is ready; registers the Discord ChannelPoster.
 */
export async function startDiscord(ctx: AppContext, options: DiscordAdapterOptions = {}): Promise<RunningAdapter> {
  const token = ctx.config.DISCORD_TOKEN;
  if (!token) throw new UserFacingError('discord.token', 'Set DISCORD_TOKEN to run the Discord bot (Developer Portal > Bot > Reset Token).');
  const logger = ctx.logger.child({ adapter: 'discord' });
  const runtime: DiscordRuntime = {
    engine: ctx.engine,
    logger,
    threads: new InterviewThreads(),
    botId: '',
    messageContent: options.messageContent ?? true,
    deferAfterMs: options.deferAfterMs ?? 1500,
    typingAfterMs: options.typingAfterMs ?? 700,
  };
  const state = { connected: false, stopping: false, inflight: new Set<Promise<void>>() };

  /** Runs one event's work, tracked so `stop()` can wait for it; errors are logged, never thrown. */
  const track = (what: string, work: () => Promise<void>) => {
    if (state.stopping) return;
    const running: Promise<void> = work()
      .catch((error: unknown) => logger.error({ what, error: describeDiscordError(error) }, 'discord: handler failed'))
      .finally(() => state.inflight.delete(running));
    state.inflight.add(running);
  };

  const wire = (client: Client) => {
    client.once(Events.ClientReady, (ready) => {
      runtime.botId = ready.user.id;
      state.connected = true;
    });
    client.on(Events.MessageCreate, (message) => track('message', () => onMessage(message, runtime)));
    client.on(Events.InteractionCreate, (interaction) => track('interaction', () => onInteraction(interaction, runtime)));
    watchConnection(client, logger, (connected) => {
      state.connected = connected;
    });
  };

  const connect = async (messageContent: boolean): Promise<Client<true>> => {
    const client = createDiscordClient(ctx.config, { messageContent, ...(options.rest ? { rest: options.rest } : {}) });
    wire(client);
    try {
      await loginAndWaitReady(client, token, options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      await client.destroy();
      throw error;
    }
    if (!client.isReady()) throw new Error('discord: client not ready after login');
    return client;
  };

  let client: Client<true>;
  try {
    client = await connect(runtime.messageContent);
  } catch (error) {
    if (!runtime.messageContent || !isDisallowedIntents(error)) throw explainLoginError(error);
    logger.warn(
      {},
      'discord: the Message Content intent is off in the Developer Portal (Bot > Privileged Gateway Intents). Running without it: plain answers in interview threads cannot be read; "Answer in a form" and mentions still work.',
    );
    runtime.messageContent = false;
    client = await connect(false).catch((retryError: unknown) => {
      throw explainLoginError(retryError);
    });
  }

  ctx.registerPoster(new DiscordChannelPoster(client, logger));
  logger.info({ bot: client.user.tag, guilds: client.guilds.cache.size, messageContent: runtime.messageContent }, 'discord: connected');

  return {
    name: 'discord',
    isReady: () => state.connected && !state.stopping,
    async stop() {
      state.stopping = true;
      await Promise.allSettled([...state.inflight]);
      state.connected = false;
      await client.destroy();
    },
  };
}

/** Keeps the readiness flag honest across gateway disconnects and resumes. */
function watchConnection(client: Client, logger: Logger, set: (connected: boolean) => void): void {
  client.on(Events.ShardDisconnect, (event) => {
    set(false);
    logger.warn({ code: event.code }, 'discord: gateway closed for good');
  });
  client.on(Events.ShardReconnecting, () => {
    set(false);
    logger.info({}, 'discord: gateway reconnecting');
  });
  client.on(Events.ShardResume, (_shard, replayed) => {
    set(true);
    logger.info({ replayed }, 'discord: gateway resumed');
  });
  client.on(Events.ShardReady, () => set(true));
  client.on(Events.Error, (error) => logger.error({ error: describeDiscordError(error) }, 'discord: client error'));
  client.on(Events.ShardError, (error) => logger.warn({ error: describeDiscordError(error) }, 'discord: gateway error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
}
