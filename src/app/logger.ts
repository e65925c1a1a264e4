import { pino, type DestinationStream } from 'pino';
import type { Config } from '../config/schema.js';
import { redactSecrets } from '../config/load.js';
import type { Logger } from '../core/ports/logger.js';

/**
 * JSON-lines logger on stderr (stdout belongs to command output and the terminal chat).
 * Secret values are scrubbed from every line, whatever field they hide in.
 */
export function createLogger(config: Config, options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const scrub: DestinationStream = {
    write(line: string) {
      (options.destination ?? process.stderr).write(redactSecrets(line, config));
    },
  };
  return pino(
    {
      level: options.level ?? config.MLE_COACH_LOG_LEVEL,
      base: { app: 'mle-coach' },
      redact: { paths: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrub,
  );
}
