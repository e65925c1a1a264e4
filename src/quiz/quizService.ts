import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { reply, type Reply } from '../core/model/message.js';
import type { NormalizedMessage } from '../core/model/normalized.js';
import type { Clock } from '../core/ports/clock.js';
import type { QuizPort } from '../core/ports/extensions.js';
import type { Grader } from '../core/ports/grader.js';
import type { Logger } from '../core/ports/logger.js';
import type { ChannelPoster } from '../core/ports/poster.js';
import type { Retriever } from '../core/ports/retriever.js';
import type { Store, UserRecord } from '../core/ports/store.js';
import { addDays, isoWeek, localDay, mondayOf } from '../core/calendar.js';
import { areasForTrack, TRACKS } from '../knowledge/areas.js';
import type { QuestionBank } from '../interview/bank.js';
import { gradeAgainst, pointersFor } from '../interview/grading.js';
import { renderFeedback } from '../interview/render.js';
import { scheduleReview } from '../interview/reviews.js';
import { seededRandom } from '../interview/picker.js';
import { parseScheduleArgs } from './scheduleParse.js';
import type { QuizSchedule, QuizStore } from './types.js';
import { toneFor, type Tone } from '../core/gradingPolicy.js';

const QUIZ_MARK: Record<Tone, string> = { good: '✅', fair: '🟡', poor: '📝', neutral: '📝' };

export interface QuizDeps {
  quizStore: QuizStore;
  store: Store;
  bank: QuestionBank;
  grader: Grader;
  retriever: Retriever;
  clock: Clock;
  logger: Logger;
  posters: () => readonly ChannelPoster[];
  admins: readonly string[];
  closeHours: number;
  defaultTimezone: string;
  /** Identifies this process in claims (several instances may share one database). */
  instanceId?: string;
}

const CLAIM_LEASE_MS = 2 * 60_000;
/** A post more than this after its slot says it is late. */
const LATE_AFTER_MS = 5 * 60_000;

/**
 * Daily channel quizzes: schedules set from chat, exactly-once posting per (channel, local date)
 * through database claims, answers in the post's thread, reveal at close, weekly boards.
 */
export class QuizService implements QuizPort {
  private readonly instanceId: string;

  constructor(private readonly deps: QuizDeps) {
    this.instanceId = deps.instanceId ?? randomUUID();
  }

  static channelKey(platform: string, channelId: string): string {
    return `${platform}:${channelId}`;
  }

  // ---- commands -------------------------------------------------------------------------

  async schedule(message: NormalizedMessage, args: string, user: UserRecord): Promise<Reply[]> {
    const key = QuizService.channelKey(message.platform, message.conversation.channelId);
    const sub = args.trim().toLowerCase();
    if (sub === 'show' || sub === '') {
      const schedule = this.deps.quizStore.schedule(key);
      return [reply({ kind: 'info', private: true, sections: [{ body: schedule ? this.describe(schedule) : 'No daily quiz is scheduled in this channel. Admins: `quiz schedule 09:00 mon-fri Europe/Berlin metrics`.' }] })];
    }
    if (!message.isAdmin && !this.deps.admins.includes(user.id)) {
      return [reply({ kind: 'error', private: true, sections: [{ body: 'Only server/workspace admins (or users in MLE_COACH_ADMINS) can change the quiz schedule.' }] })];
    }
    if (message.conversation.isDirect) {
      return [reply({ kind: 'error', private: true, sections: [{ body: 'Schedule the quiz from the channel it should post in, not from a DM.' }] })];
    }
    if (sub === 'off') {
      const removed = this.deps.quizStore.deleteSchedule(key);
      return [reply({ kind: 'info', sections: [{ body: removed ? 'The daily quiz in this channel is off.' : 'There was no daily quiz scheduled here.' }] })];
    }
    const parsed = parseScheduleArgs(args);
    if ('error' in parsed) return [reply({ kind: 'error', private: true, sections: [{ body: parsed.error }] })];
    const schedule: QuizSchedule = {
      channelKey: key,
      platform: message.platform,
      channelId: message.conversation.channelId,
      time: parsed.time,
      weekdays: parsed.weekdays,
      timezone: parsed.timezone ?? this.deps.quizStore.schedule(key)?.timezone ?? this.deps.defaultTimezone,
      tracks: parsed.tracks.length ? parsed.tracks : Object.keys(TRACKS),
      createdBy: user.id,
    };
    this.deps.quizStore.saveSchedule(schedule, this.deps.clock.now());
    return [reply({ kind: 'info', sections: [{ body: `Saved. ${this.describe(schedule)}` }] })];
  }

  private describe(schedule: QuizSchedule): string {
    const next = this.cron(schedule).nextRun(this.deps.clock.now());
    const days = schedule.weekdays === '*' ? 'every day' : `on days ${schedule.weekdays} (0 = Sunday)`;
    return `Daily quiz at **${schedule.time} ${schedule.timezone}** ${days}, tracks: ${schedule.tracks.join(', ')}.${next ? ` Next post: ${next.toISOString().replace('T', ' ').slice(0, 16)} UTC.` : ''}`;
  }

  async leaderboard(message: NormalizedMessage): Promise<Reply[]> {
    const key = QuizService.channelKey(message.platform, message.conversation.channelId);
    return [this.boardReply(key, this.timezoneOf(key), this.deps.clock.now(), false)];
  }

  private timezoneOf(key: string): string {
    return this.deps.quizStore.schedule(key)?.timezone ?? this.deps.defaultTimezone;
  }

  private boardReply(key: string, timezone: string, now: Date, finalOfLastWeek: boolean): Reply {
    const today = localDay(now, timezone);
    const monday = finalOfLastWeek ? addDays(mondayOf(today), -7) : mondayOf(today);
    const weekly = this.deps.quizStore.board(key, monday, addDays(monday, 6));
    const allTime = this.deps.quizStore.board(key);
    const lines = (rows: typeof weekly) => (rows.length ? rows.map((row, index) => `${index + 1}. ${row.userName ?? row.userId} — **${row.points}** pts (${row.answers} answer${row.answers === 1 ? '' : 's'})`).join('\n') : '_No answers yet._');
    return reply({
      kind: 'info',
      title: finalOfLastWeek ? `Final weekly leaderboard (week of ${monday})` : 'Quiz leaderboard',
      sections: [
        { heading: finalOfLastWeek ? 'Last week' : `This week (since ${monday})`, body: lines(weekly) },
        ...(finalOfLastWeek ? [] : [{ heading: 'All time', body: lines(allTime) }]),
      ],
    });
  }

  // ---- answers --------------------------------------------------------------------------

  async answerInThread(message: NormalizedMessage, answer: string, user: UserRecord): Promise<Reply[] | undefined> {
    const threadId = message.conversation.threadId;
    if (!threadId) return undefined;
    const key = QuizService.channelKey(message.platform, message.conversation.channelId);
    const post = this.deps.quizStore.postByThread(key, threadId);
    if (!post) return undefined;
    const question = this.deps.bank.question(post.questionId);
    if (!question) return [reply({ kind: 'error', private: true, sections: [{ body: 'This quiz question is no longer in the bank.' }] })];
    if (post.status === 'closed') return [reply({ kind: 'info', private: true, sections: [{ body: 'This quiz has closed; the model answer is in the thread. A new one comes with the next scheduled post.' }] })];
    const previous = this.deps.quizStore.answerOf(key, post.localDate, user.id);
    if (previous !== undefined) {
      return [reply({ kind: 'info', private: true, sections: [{ body: `You already answered this quiz (${Math.round(previous)}/100). One graded answer per person per quiz.` }] })];
    }
    const now = this.deps.clock.now();
    const result = await gradeAgainst(this.deps.grader, question, question.rubric, answer, 100, user.id);
    if (!this.deps.quizStore.recordAnswer(key, post.localDate, user.id, message.userName, result.score, now)) {
      return [reply({ kind: 'info', private: true, sections: [{ body: 'You already answered this quiz. One graded answer per person per quiz.' }] })];
    }
    this.deps.store.commitGradedAnswer({
      answer: {
        id: randomUUID(),
        userId: user.id,
        questionId: question.id,
        area: question.area,
        level: question.level,
        source: 'quiz',
        score: result.score,
        maxScore: 100,
        grader: result.grader,
        skipped: false,
        missedPoints: result.criteria.filter((criterion) => !criterion.met).map((criterion) => criterion.id),
        createdAt: now,
      },
      review: scheduleReview(this.deps.store.getReview(user.id, question.id), user.id, question.id, result.score, now),
    });
    const missed = question.rubric.keyPoints.filter((point) => result.criteria.some((criterion) => criterion.id === point.id && !criterion.met));
    const feedback = renderFeedback(question, result, await pointersFor(this.deps.retriever, missed), { showModelAnswer: false });
    feedback.private = true;
    const count = this.deps.quizStore.answerCount(key, post.localDate);
    const mark = QUIZ_MARK[toneFor(result.score)];
    return [feedback, reply({ kind: 'info', sections: [{ body: `${mark} ${message.userName ?? 'Someone'} answered — ${count} answer${count === 1 ? '' : 's'} so far.` }], score: result.score })];
  }

  userTimezone(userId: string): string | undefined {
    const channel = this.deps.quizStore.lastChannelOf(userId);
    return channel ? this.deps.quizStore.schedule(channel)?.timezone : undefined;
  }

  forgetUser(userId: string): void {
    this.deps.quizStore.forgetUser(userId);
  }

  // ---- scheduling -----------------------------------------------------------------------

  private cron(schedule: QuizSchedule): Cron {
    const [hour, minute] = schedule.time.split(':').map(Number);
    return new Cron(`${minute ?? 0} ${hour ?? 9} * * ${schedule.weekdays}`, { timezone: schedule.timezone, paused: true });
  }

  private pickQuestion(schedule: QuizSchedule, seed: string): string | undefined {
    const areas = schedule.tracks.flatMap((track) => areasForTrack(track) ?? []);
    const candidates = this.deps.bank.inAreas(areas).map((question) => question.id).sort();
    if (candidates.length === 0) return undefined;
    const used = this.deps.quizStore.usedQuestionIds(schedule.channelKey);
    // No repeats in a channel until its bank is used up; then the cycle starts again.
    const cycle = used.length % candidates.length === 0 ? [] : used.slice(used.length - (used.length % candidates.length));
    const fresh = candidates.filter((id) => !cycle.includes(id));
    const pool = fresh.length ? fresh : candidates;
    return pool[Math.floor(seededRandom(seed)() * pool.length)];
  }

  /** One pass of the scheduler: post due quizzes, close expired ones, post weekly boards. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const schedule of this.read('listing quiz schedules', () => this.deps.quizStore.schedules())) {
      try {
        await this.weeklyBoard(schedule, now);
        await this.postIfDue(schedule, now);
      } catch (error) {
        this.deps.logger.error({ channel: schedule.channelKey, err: error instanceof Error ? error.message : String(error) }, 'daily quiz tick failed');
      }
    }
    for (const post of this.read('listing quiz posts to close', () => this.deps.quizStore.postsToClose(now))) {
      try {
        await this.close(post.channelKey, post.localDate);
      } catch (error) {
        this.deps.logger.error({ channel: post.channelKey, err: error instanceof Error ? error.message : String(error) }, 'closing a quiz failed');
      }
    }
  }

  /** A store read in a timer task: on failure (SQLITE_BUSY, a closing database) log it and skip this tick's part. */
  private read<T>(what: string, load: () => T[]): T[] {
    try {
      return load();
    } catch (error) {
      this.deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, `${what} failed; trying again next tick`);
      return [];
    }
  }

  private poster(platform: string): ChannelPoster | undefined {
    return this.deps.posters().find((poster) => poster.platform === platform);
  }

  private async postIfDue(schedule: QuizSchedule, now: Date): Promise<void> {
    const [slot] = this.cron(schedule).previousRuns(1, new Date(now.getTime() + 1000));
    if (!slot || slot.getTime() > now.getTime()) return;
    // A schedule set after today's slot starts tomorrow instead of posting at once.
    if (schedule.updatedAt && slot.getTime() < schedule.updatedAt.getTime()) return;
    const localDate = localDay(slot, schedule.timezone);
    const existing = this.deps.quizStore.post(schedule.channelKey, localDate);
    if (existing && existing.status !== 'claimed') return;
    const poster = this.poster(schedule.platform);
    if (!poster) return;
    const questionId = existing?.questionId ?? this.pickQuestion(schedule, `${schedule.channelKey}:${localDate}`);
    if (!questionId) return;
    const late = now.getTime() - slot.getTime() > LATE_AFTER_MS;
    const claimed = this.deps.quizStore.claimPost({ channelKey: schedule.channelKey, localDate, questionId, claimedBy: this.instanceId, claimedAt: now, slotAt: slot, late }, CLAIM_LEASE_MS, now);
    if (!claimed) return;
    const question = this.deps.bank.question(questionId);
    if (!question) return;
    const closesAt = new Date(now.getTime() + this.deps.closeHours * 3600_000);
    const lateNote = late ? `_Posted late: the bot was offline at ${schedule.time} ${schedule.timezone}._\n` : '';
    const post = reply({
      kind: 'quiz',
      title: `Daily quiz · ${localDate} · ${question.area} · ${question.level}`,
      sections: [{ body: `${lateNote}${question.question}` }, { body: `_Answer in this thread (or with the button). You get private feedback; the model answer is revealed when the quiz closes in ${this.deps.closeHours} h._` }],
      buttons: [{ action: 'quiz-answer', label: 'Answer', value: `${schedule.channelKey}|${localDate}`, style: 'primary' }],
      openThread: { name: `Daily quiz ${localDate}` },
    });
    const ref = await poster.post(schedule.channelId, [post]);
    this.deps.quizStore.markPosted(schedule.channelKey, localDate, { ...(ref.threadId ? { threadId: ref.threadId } : {}), ...(ref.messageId ? { messageId: ref.messageId } : {}) }, now, closesAt);
    this.deps.logger.info({ channel: schedule.channelKey, localDate, questionId, late }, 'daily quiz posted');
  }

  private async close(channelKey: string, localDate: string): Promise<void> {
    const post = this.deps.quizStore.post(channelKey, localDate);
    const schedule = this.deps.quizStore.schedule(channelKey);
    const question = post ? this.deps.bank.question(post.questionId) : undefined;
    const [platform, ...rest] = channelKey.split(':');
    const poster = this.poster(platform ?? '');
    this.deps.quizStore.markClosed(channelKey, localDate);
    if (!post || !question || !poster) return;
    const count = this.deps.quizStore.answerCount(channelKey, localDate);
    await poster.postInThread({ channelId: schedule?.channelId ?? rest.join(':'), ...(post.threadId ? { threadId: post.threadId } : {}) }, [
      reply({ kind: 'info', title: `Quiz closed · ${count} answer${count === 1 ? '' : 's'}`, sections: [{ heading: 'Model answer', body: question.rubric.modelAnswer }] }),
    ]);
  }

  private async weeklyBoard(schedule: QuizSchedule, now: Date): Promise<void> {
    const week = isoWeek(localDay(now, schedule.timezone));
    if (schedule.lastBoardWeek === week) return;
    const poster = this.poster(schedule.platform);
    const first = schedule.lastBoardWeek === undefined;
    if (!this.deps.quizStore.setLastBoardWeek(schedule.channelKey, week)) return;
    // The board of the week that just ended goes out before the new week's scores begin.
    if (!first && poster && this.deps.quizStore.board(schedule.channelKey, addDays(mondayOf(localDay(now, schedule.timezone)), -7), addDays(mondayOf(localDay(now, schedule.timezone)), -1)).length > 0) {
      await poster.post(schedule.channelId, [this.boardReply(schedule.channelKey, schedule.timezone, now, true)]);
    }
  }
}
