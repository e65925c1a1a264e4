import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../../core/ports/logger.js';
import type { TtlSet } from '../ttlSet.js';

const withEventId = z.object({ event_id: z.string().min(1) });

/**
 * Slack redelivers an event (header `X-Slack-Retry-Num`, or `retry_attempt` in Socket Mode) when it did not
 * see the ack in time. Each `event_id` is processed once; a retry of an event never seen (the first delivery
 * was lost) is processed normally.
 */
export function dedupeEvents(seen: TtlSet, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const parsed = withEventId.safeParse(body);
    if (parsed.success && !seen.add(parsed.data.event_id)) {
      logger.info({ eventId: parsed.data.event_id, retryNum: context.retryNum, retryReason: context.retryReason }, 'slack event delivered again; already handled');
      return;
    }
    await next();
  };
}
