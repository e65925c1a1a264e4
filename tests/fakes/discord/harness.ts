import type { AppContext, RunningAdapter } from '../../../src/app/context.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { Engine } from '../../../src/core/ports/engine.js';
import type { Logger } from '../../../src/core/ports/logger.js';
import type { ChannelPoster } from '../../../src/core/ports/poster.js';
import { startDiscord, type DiscordAdapterOptions } from '../../../src/adapters/discord/index.js';
import type { FakeDiscord } from './server.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  obj: object;
}

/** A Logger that keeps every entry (tests assert on warnings and that secrets never appear). */
export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const make = (bindings: object): Logger & { entries: LogEntry[] } => ({
    entries,
    debug: (obj, msg = '') => entries.push({ level: 'debug', msg, obj: { ...bindings, ...obj } }),
    info: (obj, msg = '') => entries.push({ level: 'info', msg, obj: { ...bindings, ...obj } }),
    warn: (obj, msg = '') => entries.push({ level: 'warn', msg, obj: { ...bindings, ...obj } }),
    error: (obj, msg = '') => entries.push({ level: 'error', msg, obj: { ...bindings, ...obj } }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}

/** Configuration pointing the adapter at the fake. */
export function fakeConfig(fake: FakeDiscord, extra: Record<string, string> = {}): Config {
  return configSchema.parse({
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.state.applicationId,
    DISCORD_REST_API_URL: fake.apiUrl,
    MLE_COACH_LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** REST settings for tests: no retries, no global 50 req/s limiter. */
export const TEST_REST = { retries: 0, globalRequestsPerSecond: Number.POSITIVE_INFINITY, timeout: 5_000 } as const;

export interface RunningTestAdapter {
  adapter: RunningAdapter;
  posters: ChannelPoster[];
  logger: ReturnType<typeof recordingLogger>;
}

/** Starts the real adapter (real discord.js) against the fake with the given engine. */
export async function startAgainstFake(fake: FakeDiscord, engine: Engine, options: DiscordAdapterOptions = {}, config = fakeConfig(fake)): Promise<RunningTestAdapter> {
  const posters: ChannelPoster[] = [];
  const logger = recordingLogger();
  const ctx: AppContext = {
    config,
    engine,
    logger,
    registerPoster: (poster) => posters.push(poster),
    close: async () => {},
  };
  const adapter = await startDiscord(ctx, { rest: TEST_REST, readyTimeoutMs: 5_000, ...options });
  return { adapter, posters, logger };
}
