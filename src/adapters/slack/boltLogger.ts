import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/** Bolt's, the Web API's and Socket Mode's logs, into the app's logger, with secrets redacted. */
export function boltLogger(logger: Logger, redact: (text: string) => string, level: LogLevel): BoltLogger {
  let current = level;
  const line = (parts: unknown[]) => redact(parts.map(describe).join(' '));
  return {
    debug: (...parts: unknown[]) => logger.debug({ source: 'bolt' }, line(parts)),
    info: (...parts: unknown[]) => logger.info({ source: 'bolt' }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: 'bolt' }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ source: 'bolt' }, line(parts)),
    setLevel: (next: LogLevel) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => {},
  };
}

export function boltLogLevel(appLevel: string): LogLevel {
  if (appLevel === 'debug' || appLevel === 'trace') return LogLevel.DEBUG;
  if (appLevel === 'warn') return LogLevel.WARN;
  if (appLevel === 'error' || appLevel === 'fatal' || appLevel === 'silent') return LogLevel.ERROR;
  return LogLevel.INFO;
}
