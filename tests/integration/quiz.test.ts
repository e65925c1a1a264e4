import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/bootstrap.js';
import { replyToPlainText, type Reply } from '../../src/core/model/message.js';
import type { ChannelPoster, PostedRef } from '../../src/core/ports/poster.js';
import { buildProgress } from '../../src/core/progress.js';
import type { AnswerRecord } from '../../src/core/ports/store.js';
import { FakeClock, cleanup, startApp, tempDir } from '../support/app.js';

/** A channel poster that records what would be posted (the platform side of the port). */
class RecordingPoster implements ChannelPoster {
  readonly platform = 'test' as const;
  readonly posts: { channelId: string; threadId?: string; text: string }[] = [];
  private next = 1;
  async post(channelId: string, replies: Reply[]): Promise<PostedRef> {
    const threadId = `t${this.next++}`;
    this.posts.push({ channelId, text: replies.map(replyToPlainText).join('\n') });
    return { channelId, threadId, messageId: threadId };
  }
  async postInThread(ref: PostedRef, replies: Reply[]): Promise<void> {
    this.posts.push({ channelId: ref.channelId, ...(ref.threadId ? { threadId: ref.threadId } : {}), text: replies.map(replyToPlainText).join('\n') });
  }
}

let dir: string;
let clock: FakeClock;
let app: App;
let poster: RecordingPoster;

const admin = (channelId: string, text: string) => ({ platform: 'test' as const, userId: 'test:admin', userName: 'Ada', conversation: { channelId, isDirect: false }, text, isAdmin: true });

async function schedule(channelId: string, args: string): Promise<string> {
  return (await app.engine.handle(admin(channelId, `quiz schedule ${args}`))).map(replyToPlainText).join('\n');
}

beforeEach(async () => {
  dir = tempDir();
  clock = new FakeClock(new Date('2026-03-27T20:00:00Z'));
  app = await startApp(dir, clock);
  poster = new RecordingPoster();
  app.registerPoster(poster);
});

afterEach(async () => {
  await app.close();
  cleanup(dir);
});

const quizPosts = () => poster.posts.filter((post) => post.text.includes('Daily quiz'));

describe('the quiz scheduler under store failures', () => {
  it('GIVEN the database closes under a scheduled quiz (shutdown) WHEN the tick runs THEN it finishes without throwing and posts nothing', async () => {
    await schedule('berlin', '09:00 daily Europe/Berlin metrics');
    app.db.close();
    clock.set(new Date('2026-03-28T08:00:30Z'));
    await expect(app.quiz.tick()).resolves.toBeUndefined();
    expect(quizPosts()).toHaveLength(0);
  });
});

describe('daily quiz scheduling', () => {
  it('GIVEN quizzes at 09:00 in Berlin and New York WHEN Berlin changes to summer time THEN each posts at its local 09:00 on both sides of the change', async () => {
    expect(await schedule('berlin', '09:00 daily Europe/Berlin metrics')).toContain('09:00 Europe/Berlin');
    await schedule('nyc', '09:00 daily America/New_York mlops');
    clock.set(new Date('2026-03-28T07:59:00Z'));
    await app.quiz.tick();
    expect(quizPosts()).toHaveLength(0);
    clock.set(new Date('2026-03-28T08:00:30Z')); // 09:00 CET
    await app.quiz.tick();
    expect(quizPosts().map((post) => post.channelId)).toEqual(['berlin']);
    clock.set(new Date('2026-03-28T13:00:30Z')); // 09:00 EDT (New York changed on 8 March)
    await app.quiz.tick();
    expect(quizPosts().map((post) => post.channelId)).toEqual(['berlin', 'nyc']);
    clock.set(new Date('2026-03-29T06:59:00Z'));
    await app.quiz.tick();
    expect(quizPosts()).toHaveLength(2);
    clock.set(new Date('2026-03-29T07:00:30Z')); // 09:00 CEST
    await app.quiz.tick();
    expect(quizPosts().map((post) => post.channelId)).toEqual(['berlin', 'nyc', 'berlin']);
    expect(quizPosts()[2]?.text).not.toContain('Posted late');
  });

  it('GIVEN a restart in the minute of posting WHEN a second instance ticks on the same database THEN the quiz is posted once', async () => {
    await schedule('general', '09:00 daily UTC');
    clock.set(new Date('2026-03-28T09:00:10Z'));
    const second = await startApp(dir, clock);
    second.registerPoster(poster);
    try {
      await Promise.all([app.quiz.tick(), second.quiz.tick(), app.quiz.tick()]);
      await second.quiz.tick();
    } finally {
      await second.close();
    }
    expect(quizPosts()).toHaveLength(1);
  });

  it('GIVEN the bot was down at the slot WHEN it comes back THEN the quiz is posted once, late, with a note', async () => {
    await schedule('general', '09:00 daily UTC');
    clock.set(new Date('2026-03-28T12:30:00Z'));
    await app.quiz.tick();
    await app.quiz.tick();
    expect(quizPosts()).toHaveLength(1);
    expect(quizPosts()[0]?.text).toContain('Posted late');
  });

  it('GIVEN a non-admin WHEN they try to schedule THEN they are refused', async () => {
    const replies = await app.engine.handle({ ...admin('general', 'quiz schedule 09:00'), isAdmin: false, userId: 'test:bob' });
    expect(replyToPlainText(replies[0]!)).toContain('Only server/workspace admins');
  });
});

describe('answering a daily quiz', () => {
  it('GIVEN a posted quiz WHEN people answer in its thread THEN each gets private feedback and a public tally, one graded answer each, and the model answer is revealed at close', async () => {
    await schedule('general', '09:00 daily UTC');
    clock.set(new Date('2026-03-28T09:00:05Z'));
    await app.quiz.tick();
    const threadId = 't1';
    const answer = (userId: string, text: string) => app.engine.handle({ platform: 'test', userId, userName: userId.split(':')[1], conversation: { channelId: 'general', threadId, isDirect: false }, text });
    const first = await answer('test:bob', 'I would look at precision and recall and pick a threshold from the costs of errors.');
    expect(first[0]?.kind).toBe('feedback');
    expect(first[0]?.private).toBe(true);
    expect(first[1]?.private).toBe(false);
    expect(replyToPlainText(first[1]!)).toContain('1 answer so far');
    const again = await answer('test:bob', 'Second try with a better answer.');
    expect(replyToPlainText(again[0]!)).toContain('already answered');
    const other = await answer('test:carol', 'Calibration and thresholds matter here.');
    expect(replyToPlainText(other[1]!)).toContain('2 answers so far');
    clock.advance(24 * 3600_000);
    await app.quiz.tick();
    const reveal = poster.posts.find((post) => post.threadId === threadId && post.text.includes('Quiz closed'));
    expect(reveal?.text).toContain('Model answer');
    const late = await answer('test:dave', 'Too late answer');
    expect(replyToPlainText(late[0]!)).toContain('closed');
  });

  it('GIVEN answers during a week WHEN Monday comes THEN the final weekly board is posted before the reset', async () => {
    await schedule('general', '09:00 daily UTC');
    clock.set(new Date('2026-03-28T09:00:05Z')); // Saturday
    await app.quiz.tick();
    await app.engine.handle({ platform: 'test', userId: 'test:bob', userName: 'bob', conversation: { channelId: 'general', threadId: 't1', isDirect: false }, text: 'Precision, recall and the cost of false positives decide the threshold.' });
    clock.set(new Date('2026-03-30T00:00:30Z')); // Monday
    await app.quiz.tick();
    const board = poster.posts.find((post) => post.text.includes('Final weekly leaderboard'));
    expect(board?.text).toContain('bob');
    const current = await app.engine.handle({ ...admin('general', 'leaderboard') });
    const text = replyToPlainText(current[0]!);
    expect(text).toContain('All time');
    expect(text).toContain('bob');
  });
});

describe('streaks', () => {
  const at = (iso: string): AnswerRecord => ({ id: iso, userId: 'u', questionId: `q${iso}`, area: 'mlops', level: 'easy', source: 'quiz', score: 70, maxScore: 100, grader: 'offline', skipped: false, missedPoints: [], createdAt: new Date(iso) });

  it('GIVEN answers either side of midnight in Tokyo WHEN the streak is counted in the user timezone THEN they are two days, but one day in UTC', () => {
    const answers = [at('2026-03-02T14:30:00Z'), at('2026-03-02T15:30:00Z')];
    const now = new Date('2026-03-02T16:00:00Z');
    expect(buildProgress('u', answers, 0, 'Asia/Tokyo', now).streakDays).toBe(2);
    expect(buildProgress('u', answers, 0, 'UTC', now).streakDays).toBe(1);
  });

  it('GIVEN one missed day in a week WHEN counting THEN the grace day keeps the streak; a second gap ends it', () => {
    const answers = ['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06'].map((day) => at(`${day}T12:00:00Z`));
    expect(buildProgress('u', answers, 0, 'UTC', new Date('2026-03-06T18:00:00Z')).streakDays).toBe(4);
    const gappy = ['2026-03-02', '2026-03-04', '2026-03-06'].map((day) => at(`${day}T12:00:00Z`));
    expect(buildProgress('u', gappy, 0, 'UTC', new Date('2026-03-06T18:00:00Z')).streakDays).toBe(2);
  });
});

describe('streak grace before today', () => {
  const at = (iso: string): AnswerRecord => ({ id: iso, userId: 'u', questionId: `q${iso}`, area: 'mlops', level: 'easy', source: 'quiz', score: 70, maxScore: 100, grader: 'offline', skipped: false, missedPoints: [], createdAt: new Date(iso) });
  it('GIVEN activity on days 1-2 and a missed day 3 WHEN checking on day 4 before practising THEN the streak is still 2', () => {
    const answers = ['2026-03-03', '2026-03-04'].map((day) => at(`${day}T12:00:00Z`));
    expect(buildProgress('u', answers, 0, 'UTC', new Date('2026-03-06T08:00:00Z')).streakDays).toBe(2);
  });
});
