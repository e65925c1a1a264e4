import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import { describeError } from './errors.js';
import { usersInfoSchema } from './payloads.js';

export interface SlackUserFacts {
  isAdmin: boolean;
  name?: string;
}

interface Cached {
  facts: SlackUserFacts;
  expiresAt: number;
}

/**
 * Workspace admins/owners (quiz schedules) and display names, from `users.info` (scope `users:read`),
 * cached per user. A failed lookup is logged and counts as "not an admin"; a stale entry is kept as fallback.
 */
export class SlackUserDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<SlackUserFacts>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5000,
  ) {}

  lookup(userId: string): Promise<SlackUserFacts> {
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.facts);
    const running = this.inFlight.get(userId);
    if (running) return running;
    const lookup = this.fetch(userId, cached?.facts).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, lookup);
    return lookup;
  }

  private async fetch(userId: string, stale: SlackUserFacts | undefined): Promise<SlackUserFacts> {
    try {
      const response = usersInfoSchema.parse(await this.client.users.info({ user: userId }));
      const { user } = response;
      const name = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name;
      const facts: SlackUserFacts = { isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner), ...(name ? { name } : {}) };
      this.cache.delete(userId);
      this.cache.set(userId, { facts, expiresAt: Date.now() + this.ttlMs });
      if (this.cache.size > this.maxEntries) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      return facts;
    } catch (error) {
      this.logger.warn({ err: describeError(error), slackUser: userId }, 'slack users.info failed; treating the user as a non-admin');
      return stale ?? { isAdmin: false };
    }
  }
}
