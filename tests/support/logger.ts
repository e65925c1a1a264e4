import type { Logger } from '../../src/core/ports/logger.js';

export interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

/** A Logger that keeps every line, so specs can check what was (and was not) logged. */
export function recordingLogger(lines: LogLine[]): Logger {
  const make = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error'), child: () => logger };
  return logger;
}
