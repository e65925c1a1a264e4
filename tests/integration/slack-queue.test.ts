import { describe, expect, it } from 'vitest';
import { FairPostQueue, rateLimitDelayMs } from '../../src/adapters/slack/postQueue.js';

/** The error the Web API client throws for a 429 when built with `rejectRateLimitedCalls`. */
function rateLimited(retryAfterSeconds: number): Error {
  return Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: retryAfterSeconds });
}

describe('FairPostQueue', () => {
  it('GIVEN a busy channel and a quiet one WHEN both post THEN the quiet one is not stuck behind the busy backlog', async () => {
    const queue = new FairPostQueue({ concurrency: 1, maxAttempts: 3 });
    const order: string[] = [];
    const jobs = [1, 2, 3, 4, 5].map((index) =>
      queue.run('busy', async () => {
        order.push(`busy-${index}`);
      }),
    );
    jobs.push(
      queue.run('quiet', async () => {
        order.push('quiet-1');
      }),
    );
    await Promise.all(jobs);
    expect(order.indexOf('quiet-1')).toBe(1);
    expect(order.filter((entry) => entry.startsWith('busy'))).toEqual(['busy-1', 'busy-2', 'busy-3', 'busy-4', 'busy-5']);
  });

  it('GIVEN a 429 WHEN the call is retried THEN it waits Retry-After, keeps its place and succeeds', async () => {
    const pauses: number[] = [];
    const queue = new FairPostQueue({ concurrency: 4, maxAttempts: 3, onRateLimited: (_lane, delayMs) => pauses.push(delayMs) });
    let attempts = 0;
    const started = performance.now();
    const first = queue.run('C1', async () => {
      attempts += 1;
      if (attempts === 1) throw rateLimited(0.05);
      return 'posted';
    });
    const second = queue.run('C1', async () => 'second');
    expect(await first).toBe('posted');
    expect(await second).toBe('second');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(pauses).toEqual([50]);
  });

  it('GIVEN Slack keeps answering 429 WHEN attempts run out THEN the call fails instead of retrying forever', async () => {
    const queue = new FairPostQueue({ concurrency: 1, maxAttempts: 3 });
    let attempts = 0;
    await expect(
      queue.run('C1', async () => {
        attempts += 1;
        throw rateLimited(0);
      }),
    ).rejects.toThrow('rate limited');
    expect(attempts).toBe(3);
    expect(queue.pending).toBe(0);
  });

  it('GIVEN any other error THEN the call fails at once', async () => {
    const queue = new FairPostQueue({ concurrency: 1, maxAttempts: 3 });
    let attempts = 0;
    await expect(
      queue.run('C1', async () => {
        attempts += 1;
        throw new Error('channel_not_found');
      }),
    ).rejects.toThrow('channel_not_found');
    expect(attempts).toBe(1);
    expect(rateLimitDelayMs(new Error('x'))).toBeUndefined();
    expect(rateLimitDelayMs(rateLimited(2))).toBe(2000);
  });
});
