/**
 * Spreads Web API calls fairly and honours Slack's rate limits.
 *
 * Calls are grouped in lanes (one per channel for posts). A lane runs one call at a time, so messages in a
 * channel keep their order; lanes are served round-robin under a global concurrency limit, so a busy channel
 * cannot starve the others. When Slack answers 429, only that lane pauses for `Retry-After` and the call is
 * retried, up to `maxAttempts`; then the call fails and the caller logs it.
 */

const RATE_LIMITED = 'slack_webapi_rate_limited_error';

/** Milliseconds to wait when `error` is a Web API rate-limit rejection (client built with `rejectRateLimitedCalls`). */
export function rateLimitDelayMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  if (code !== RATE_LIMITED) return undefined;
  return typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : 1000;
}

export interface PostQueueOptions {
  /** Calls in flight across all lanes. */
  concurrency: number;
  /** Attempts per call when rate limited (the first try included). */
  maxAttempts: number;
  onRateLimited?: (lane: string, delayMs: number, attempt: number) => void;
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

interface Lane {
  jobs: Job[];
  busy: boolean;
  resumeAt: number;
}

export class FairPostQueue {
  private readonly lanes = new Map<string, Lane>();
  private active = 0;
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly options: PostQueueOptions) {}

  run<T>(lane: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = this.lanes.get(lane) ?? { jobs: [], busy: false, resumeAt: 0 };
      this.lanes.set(lane, entry);
      entry.jobs.push({ run: task, resolve: (value) => resolve(value as T), reject, attempts: 0 });
      this.pump();
    });
  }

  /** Calls waiting or running, for tests and shutdown logs. */
  get pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.jobs.length;
    return count;
  }

  private nextReadyLane(now: number): string | undefined {
    for (const [key, lane] of this.lanes) {
      if (!lane.busy && lane.jobs.length > 0 && lane.resumeAt <= now) return key;
    }
    return undefined;
  }

  private pump(): void {
    const now = performance.now();
    while (this.active < this.options.concurrency) {
      const key = this.nextReadyLane(now);
      if (key === undefined) break;
      const lane = this.lanes.get(key);
      if (!lane) break;
      this.start(key, lane);
    }
    this.scheduleWake(now);
  }

  /** One timer for the earliest paused lane (timers may fire a little early: pump re-arms it). */
  private scheduleWake(now: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.lanes.values()) {
      if (!lane.busy && lane.jobs.length > 0 && lane.resumeAt > now) earliest = Math.min(earliest, lane.resumeAt);
    }
    if (earliest === Number.POSITIVE_INFINITY || (this.wake && this.wake.at <= earliest)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, Math.max(1, Math.ceil(earliest - now)));
    this.wake = { at: earliest, timer };
  }

  private start(key: string, lane: Lane): void {
    const job = lane.jobs[0];
    if (!job) return;
    lane.busy = true;
    this.active += 1;
    job.attempts += 1;
    job
      .run()
      .then(
        (value) => {
          lane.jobs.shift();
          job.resolve(value);
        },
        (error: unknown) => {
          const delay = rateLimitDelayMs(error);
          if (delay !== undefined && job.attempts < this.options.maxAttempts) {
            lane.resumeAt = performance.now() + delay;
            this.options.onRateLimited?.(key, delay, job.attempts);
            return;
          }
          lane.jobs.shift();
          job.reject(error);
        },
      )
      .finally(() => {
        lane.busy = false;
        this.active -= 1;
        // Round-robin: the lane just served goes to the back of the line (or away when it is empty).
        this.lanes.delete(key);
        if (lane.jobs.length > 0) this.lanes.set(key, lane);
        this.pump();
      });
  }
}
