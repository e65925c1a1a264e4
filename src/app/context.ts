import type { Config } from '../config/schema.js';
import type { ChannelPoster } from '../core/ports/poster.js';
import type { Engine } from '../core/ports/engine.js';
import type { Logger } from '../core/ports/logger.js';

/** A running chat adapter, as `serve` sees it. */
export interface RunningAdapter {
  readonly name: 'slack' | 'discord' | 'terminal';
  /** True while connected (readiness probe). */
  isReady(): boolean;
  /** Stops taking new work; resolves when in-flight work is done. */
  stop(): Promise<void>;
}

/** Everything an adapter needs, wired once by `bootstrap`. */
export interface AppContext {
  readonly config: Config;
  readonly engine: Engine;
  readonly logger: Logger;
  /** Adapters register their poster so the daily quiz can post to their channels. */
  registerPoster(poster: ChannelPoster): void;
  close(): Promise<void>;
}
