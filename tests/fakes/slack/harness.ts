import type { AppContext } from '../../../src/app/context.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { Conversation, IncomingMessage, Reply } from '../../../src/core/model/message.js';
import type { Engine } from '../../../src/core/ports/engine.js';
import type { Logger } from '../../../src/core/ports/logger.js';
import type { ChannelPoster } from '../../../src/core/ports/poster.js';
import { startSlack, type SlackAdapter, type SlackStartOptions } from '../../../src/adapters/slack/index.js';
import { FakeSlack, type FakeSlackOptions } from './fakeSlack.js';
import { SIGNING_SECRET } from './requests.js';

/** A stand-in for the engine port: records what it is given and answers with a script. */
export class ScriptedEngine implements Engine {
  readonly received: IncomingMessage[] = [];
  readonly attached: { sessionRef: string; conversation: Conversation }[] = [];
  script: (message: IncomingMessage) => Promise<Reply[]> | Reply[] = () => [];

  async handle(message: IncomingMessage): Promise<Reply[]> {
    this.received.push(message);
    return this.script(message);
  }

  async attachThread(sessionRef: string, conversation: Conversation): Promise<void> {
    this.attached.push({ sessionRef, conversation });
  }
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

export class RecordingLogger implements Logger {
  constructor(readonly entries: LogEntry[] = []) {}
  debug(obj: object, msg?: string): void {
    this.entries.push({ level: 'debug', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
  }
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
  }
  child(): Logger {
    return this;
  }
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}

export function slackConfig(fake: FakeSlack, mode: 'http' | 'socket', extra: Record<string, string> = {}): Config {
  return configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_API_URL: fake.apiUrl,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: fake.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    MLE_COACH_LOG_LEVEL: 'info',
    ...extra,
  });
}

export function testContext(config: Config, engine: Engine, logger: Logger, posters: ChannelPoster[] = []): AppContext {
  return {
    config,
    engine,
    logger,
    registerPoster: (poster) => {
      posters.push(poster);
    },
    close: async () => {},
  };
}

/** Fast settings for tests: no Web API retries, quick Socket Mode reconnects. */
export const FAST: SlackStartOptions = { port: 0, host: '127.0.0.1', webApiRetries: 0, webApiTimeoutMs: 5000, clientPingTimeout: 200, unhandledRequestTimeoutMillis: 1000 };

export interface SlackRig {
  fake: FakeSlack;
  engine: ScriptedEngine;
  logger: RecordingLogger;
  adapter: SlackAdapter;
  posters: ChannelPoster[];
  /** HTTP mode: the app's `/slack/events` URL. */
  eventsUrl: string;
  close(): Promise<void>;
}

/** Fake Slack + the real Bolt app (via startSlack) + a scripted engine. */
export async function startRig(mode: 'http' | 'socket', options: { fake?: FakeSlackOptions; start?: SlackStartOptions } = {}): Promise<SlackRig> {
  const fake = await FakeSlack.start(options.fake);
  const engine = new ScriptedEngine();
  const logger = new RecordingLogger();
  const posters: ChannelPoster[] = [];
  const adapter = await startSlack(testContext(slackConfig(fake, mode), engine, logger, posters), { ...FAST, ...options.start });
  return {
    fake,
    engine,
    logger,
    adapter,
    posters,
    eventsUrl: `http://127.0.0.1:${adapter.port ?? 0}/slack/events`,
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Polls `condition` every few ms; fails with `label` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, label: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise plus its resolver, to hold the engine mid-grading. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Every text a Slack user could see in a recorded call: fallback text and all block/view text, as one string. */
export function visibleText(params: Record<string, unknown>): string {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') return;
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else walk(inner);
      }
    }
  };
  if (typeof params.text === 'string') texts.push(params.text);
  walk(params.blocks);
  walk(params.view);
  return texts.join('\n');
}
