import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext, RunningAdapter } from '../../app/context.js';
import { redactSecrets } from '../../config/load.js';
import { TRACKS } from '../../knowledge/areas.js';
import { UserFacingError } from '../../shared/result.js';
import { boltLogger, boltLogLevel } from './boltLogger.js';
import { SlackDelivery } from './delivery.js';
import { describeError } from './errors.js';
import { platformErrorCode } from './payloads.js';
import { registerActions } from './listeners/actions.js';
import { registerAnswerForm } from './listeners/answerForm.js';
import { registerCommands } from './listeners/commands.js';
import { dedupeEvents } from './listeners/dedupe.js';
import { registerHome } from './listeners/home.js';
import { registerMessages } from './listeners/messages.js';
import { resolveSlackMode, slackApiUrl, type SlackMode } from './mode.js';
import { SlackChannelPoster } from './poster.js';
import { FairPostQueue } from './postQueue.js';
import { SlackRuntime } from './runtime.js';
import { SessionThreads } from './threads.js';
import { TtlSet } from './ttlSet.js';
import { SlackUserDirectory } from './users.js';

export interface SlackStartOptions {
  /** HTTP mode: port to listen on (default `PORT`); 0 picks a free one. */
  port?: number;
  /** HTTP mode: interface to listen on (default: all). */
  host?: string;
  /** Socket Mode: ms to wait for a pong before reconnecting; also the reconnect back-off step (default 5000). */
  clientPingTimeout?: number;
  /** Socket Mode: ms without a ping from Slack before reconnecting (default 30000). */
  serverPingTimeout?: number;
  /** Web API retries after network errors and 5xx (default 3). 429s are handled by the post queue. */
  webApiRetries?: number;
  /** Web API request timeout in ms (default 30000). */
  webApiTimeoutMs?: number;
  /** Attempts per Web API call when Slack answers 429 (default 5). */
  maxRateLimitAttempts?: number;
  /** Web API calls in flight across channels (default 8). */
  postConcurrency?: number;
  /** HTTP mode: answer 404 to a request nobody acked after this many ms (Bolt's default 3001). */
  unhandledRequestTimeoutMillis?: number;
}

/** The running Slack adapter. */
export interface SlackAdapter extends RunningAdapter {
  readonly mode: SlackMode['kind'];
  /** HTTP mode: the port actually listened on. */
  readonly port?: number;
  readonly botUserId: string;
}

const authTestSchema = z.object({ user_id: z.string().min(1), bot_id: z.string().min(1).optional(), team_id: z.string().min(1), user: z.string().optional() });

async function whoAmI(botToken: string, clientOptions: webApi.WebClientOptions, redact: (text: string) => string) {
  try {
    const client = new webApi.WebClient(botToken, clientOptions);
    return authTestSchema.parse(await client.auth.test());
  } catch (error) {
    const code = platformErrorCode(error);
    throw code
      ? new UserFacingError('slack.auth', `Slack rejected SLACK_BOT_TOKEN (auth.test): ${code}`)
      : new UserFacingError('slack.unreachable', `Could not reach the Slack Web API at ${clientOptions.slackApiUrl ?? 'https://slack.com/api/'}: ${redact(describeError(error))}`);
  }
}

/**
 * Starts the Slack adapter: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode (SLACK_SIGNING_SECRET,
 * `PORT`, `/slack/events`). Resolves once connected (Socket Mode) or listening (HTTP).
 */
export async function startSlack(ctx: AppContext, options: SlackStartOptions = {}): Promise<SlackAdapter> {
  const resolved = resolveSlackMode(ctx.config);
  if (!resolved.ok) throw resolved.error;
  const mode = resolved.value;
  const logger = ctx.logger.child({ adapter: 'slack' });
  const redact = (text: string) => redactSecrets(text, ctx.config);
  const boltLog = boltLogger(logger, redact, boltLogLevel(ctx.config.MLE_COACH_LOG_LEVEL));
  const apiUrl = slackApiUrl(ctx.config);
  const clientOptions: webApi.WebClientOptions = {
    logger: boltLog,
    // 429s come back to us at once, so the post queue can pause just that channel and retry.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.webApiRetries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
    timeout: options.webApiTimeoutMs ?? 30_000,
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  };

  const identity = await whoAmI(mode.botToken, clientOptions, redact);
  let ready = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const receiver: Receiver =
    mode.kind === 'socket'
      ? new SocketModeReceiver({
          appToken: mode.appToken,
          logger: boltLog,
          // Without these the socket client would call slack.com for apps.connections.open.
          installerOptions: { clientOptions },
          ...(options.clientPingTimeout !== undefined ? { clientPingTimeout: options.clientPingTimeout } : {}),
          ...(options.serverPingTimeout !== undefined ? { serverPingTimeout: options.serverPingTimeout } : {}),
        })
      : new HTTPReceiver({
          signingSecret: mode.signingSecret,
          endpoints: '/slack/events',
          logger: boltLog,
          processBeforeResponse: false,
          ...(options.unhandledRequestTimeoutMillis !== undefined ? { unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis } : {}),
        });

  const app = new App({
    token: mode.botToken,
    botUserId: identity.user_id,
    ...(identity.bot_id ? { botId: identity.bot_id } : {}),
    receiver,
    logger: boltLog,
    logLevel: boltLogLevel(ctx.config.MLE_COACH_LOG_LEVEL),
    clientOptions,
    convoStore: false,
  });

  const queue = new FairPostQueue({
    concurrency: options.postConcurrency ?? 8,
    maxAttempts: options.maxRateLimitAttempts ?? 5,
    onRateLimited: (lane, delayMs, attempt) => logger.warn({ lane, delayMs, attempt }, 'slack rate limit; retrying after Retry-After'),
  });
  const threads = new SessionThreads(app.client, logger, identity.user_id);
  const delivery = new SlackDelivery({ client: app.client, queue, engine: ctx.engine, logger, threads, botName: identity.user ?? 'mle-coach' });
  const runtime = new SlackRuntime({
    engine: ctx.engine,
    logger,
    client: app.client,
    queue,
    delivery,
    users: new SlackUserDirectory(app.client, logger),
    threads,
    botUserId: identity.user_id,
    teamId: identity.team_id,
    tracks: Object.keys(TRACKS),
  });

  app.use(dedupeEvents(new TtlSet(60 * 60_000, 50_000), logger));
  registerCommands(app, runtime);
  registerMessages(app, runtime);
  registerActions(app, runtime);
  registerAnswerForm(app, runtime);
  registerHome(app, runtime);
  app.error(async (error) => {
    logger.error({ err: redact(describeError(error)) }, 'slack listener error');
  });

  let port: number | undefined;
  let socketClosed: Promise<void> = Promise.resolve();
  if (receiver instanceof SocketModeReceiver) {
    const socket = receiver.client;
    socket.on('connected', () => {
      ready = !stopping;
    });
    for (const state of ['reconnecting', 'disconnecting', 'disconnected']) {
      socket.on(state, () => {
        ready = false;
      });
    }
    try {
      await receiver.start();
    } catch (error) {
      const code = platformErrorCode(error);
      throw new UserFacingError('slack.socket', `Slack refused the Socket Mode connection (apps.connections.open): ${code ?? redact(describeError(error))}. Check SLACK_APP_TOKEN (xapp-, scope connections:write) and that Socket Mode is enabled for the app.`);
    }
    socketClosed = new Promise((resolve) => socket.once('disconnected', () => resolve()));
  } else if (receiver instanceof HTTPReceiver) {
    const listen = { port: options.port ?? (mode.kind === 'http' ? mode.port : 3000), ...(options.host ? { host: options.host } : {}) };
    try {
      const server = await receiver.start(listen);
      port = (server.address() as AddressInfo | null)?.port;
    } catch (error) {
      throw new UserFacingError('slack.listen', `Slack HTTP mode cannot listen on port ${listen.port}: ${describeError(error)}`);
    }
  }
  ready = true;
  logger.info({ mode: mode.kind, port, bot: identity.user_id, team: identity.team_id }, 'slack adapter started');

  ctx.registerPoster(new SlackChannelPoster(delivery, app.client, logger));

  return {
    name: 'slack',
    mode: mode.kind,
    botUserId: identity.user_id,
    ...(port !== undefined ? { port } : {}),
    isReady: () => ready && !stopping,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        ready = false;
        await app.stop();
        await socketClosed;
        await runtime.idle();
        logger.info({}, 'slack adapter stopped');
      })();
      return stopped;
    },
  };
}
