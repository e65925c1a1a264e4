import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootstrap, type App } from '../../src/app/bootstrap.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { replyToPlainText, type IncomingMessage, type Reply } from '../../src/core/model/message.js';

/** One word-vector cache for every test file, so CI builds it once. */
export const SHARED_CACHE_DIR = resolve('data/test-cache');

export function tempDir(prefix = 'mle-coach-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(dataDir: string, extra: Record<string, string> = {}): Config {
  return configSchema.parse({ MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR, MLE_COACH_LOG_LEVEL: 'silent', ...extra });
}

export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
}

export async function startApp(dataDir: string, clock: Clock, extra: Record<string, string> = {}): Promise<App> {
  return bootstrap(testConfig(dataDir, extra), { clock, logger: silentLogger });
}

/** An in-memory adapter: "send X, expect reply Y". */
export class ChatDriver {
  constructor(
    private readonly app: App,
    readonly userId = 'test:alice',
    private readonly conversation: IncomingMessage['conversation'] = { channelId: 'dm-alice', isDirect: true },
  ) {}

  async send(text: string, extra: Partial<IncomingMessage> = {}): Promise<Reply[]> {
    return this.app.engine.handle({ platform: 'test', userId: this.userId, conversation: this.conversation, text, ...extra });
  }

  async sendText(text: string, extra: Partial<IncomingMessage> = {}): Promise<string> {
    return (await this.send(text, extra)).map(replyToPlainText).join('\n---\n');
  }
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
