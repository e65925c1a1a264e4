import { randomUUID } from 'node:crypto';
import { reply, type IncomingMessage, type Reply } from '../../core/model/message.js';
import type { Engine } from '../../core/ports/engine.js';
import type { Logger } from '../../core/ports/logger.js';
import { UserFacingError } from '../../shared/result.js';
import { describeDiscordError } from './errors.js';

/**
 * Calls the engine and turns failures into replies: a UserFacingError shows its message, a bug is
 * logged with a reference id the user can quote.
 */
export async function askEngine(engine: Engine, message: IncomingMessage, logger: Logger, privateErrors: boolean): Promise<Reply[]> {
  try {
    return await engine.handle(message);
  } catch (error) {
    if (error instanceof UserFacingError) return [reply({ kind: 'error', private: privateErrors, sections: [{ body: error.message }] })];
    const ref = randomUUID().slice(0, 8);
    logger.error({ ref, userId: message.userId, error: describeDiscordError(error), stack: error instanceof Error ? error.stack : undefined }, 'discord: the engine failed on a message');
    return [reply({ kind: 'error', private: privateErrors, sections: [{ body: `Sorry, something went wrong on my side (reference \`${ref}\`). Please try again.` }] })];
  }
}

/** Resolves true when `promise` settles within `ms`, false otherwise (the promise keeps running). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
