import type { BoardRow, QuizPost, QuizSchedule, QuizStore } from '../quiz/types.js';
import type { SqliteDatabase } from './database.js';

interface PostRow {
  channel_key: string;
  local_date: string;
  question_id: string;
  status: QuizPost['status'];
  claimed_by: string;
  claimed_at: number;
  slot_at: number;
  thread_id: string | null;
  message_id: string | null;
  posted_at: number | null;
  closes_at: number | null;
  late: number;
}

function toPost(row: PostRow): QuizPost {
  return {
    channelKey: row.channel_key,
    localDate: row.local_date,
    questionId: row.question_id,
    status: row.status,
    claimedBy: row.claimed_by,
    claimedAt: new Date(row.claimed_at),
    slotAt: new Date(row.slot_at),
    ...(row.thread_id ? { threadId: row.thread_id } : {}),
    ...(row.message_id ? { messageId: row.message_id } : {}),
    ...(row.posted_at ? { postedAt: new Date(row.posted_at) } : {}),
    ...(row.closes_at ? { closesAt: new Date(row.closes_at) } : {}),
    late: row.late === 1,
  };
}

interface ScheduleRow {
  channel_key: string;
  platform: string;
  channel_id: string;
  time: string;
  weekdays: string;
  timezone: string;
  tracks: string;
  created_by: string;
  last_board_week: string | null;
  updated_at: number;
}

function toSchedule(row: ScheduleRow): QuizSchedule {
  return {
    channelKey: row.channel_key,
    platform: row.platform,
    channelId: row.channel_id,
    time: row.time,
    weekdays: row.weekdays,
    timezone: row.timezone,
    tracks: JSON.parse(row.tracks) as string[],
    createdBy: row.created_by,
    ...(row.last_board_week ? { lastBoardWeek: row.last_board_week } : {}),
    updatedAt: new Date(row.updated_at),
  };
}

export class SqliteQuizStore implements QuizStore {
  constructor(private readonly db: SqliteDatabase) {}

  saveSchedule(schedule: QuizSchedule, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO quiz_schedules (channel_key, platform, channel_id, time, weekdays, timezone, tracks, created_by, last_board_week, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(channel_key) DO UPDATE SET time = excluded.time, weekdays = excluded.weekdays, timezone = excluded.timezone,
           tracks = excluded.tracks, created_by = excluded.created_by, updated_at = excluded.updated_at`,
      )
      .run(schedule.channelKey, schedule.platform, schedule.channelId, schedule.time, schedule.weekdays, schedule.timezone, JSON.stringify(schedule.tracks), schedule.createdBy, schedule.lastBoardWeek ?? null, now.getTime());
  }

  deleteSchedule(channelKey: string): boolean {
    return this.db.prepare('DELETE FROM quiz_schedules WHERE channel_key = ?').run(channelKey).changes > 0;
  }

  schedule(channelKey: string): QuizSchedule | undefined {
    const row = this.db.prepare('SELECT * FROM quiz_schedules WHERE channel_key = ?').get(channelKey) as ScheduleRow | undefined;
    return row ? toSchedule(row) : undefined;
  }

  schedules(): QuizSchedule[] {
    return (this.db.prepare('SELECT * FROM quiz_schedules ORDER BY channel_key').all() as ScheduleRow[]).map(toSchedule);
  }

  setLastBoardWeek(channelKey: string, week: string): boolean {
    return this.db.prepare('UPDATE quiz_schedules SET last_board_week = ? WHERE channel_key = ? AND (last_board_week IS NULL OR last_board_week <> ?)').run(week, channelKey, week).changes === 1;
  }

  claimPost(post: Omit<QuizPost, 'status'>, leaseMs: number, now: Date): boolean {
    return this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          `INSERT OR IGNORE INTO quiz_posts (channel_key, local_date, question_id, status, claimed_by, claimed_at, slot_at, late)
           VALUES (?, ?, ?, 'claimed', ?, ?, ?, ?)`,
        )
        .run(post.channelKey, post.localDate, post.questionId, post.claimedBy, now.getTime(), post.slotAt.getTime(), post.late ? 1 : 0);
      if (inserted.changes === 1) return true;
      // A claim whose owner died before posting is taken over once its lease runs out.
      const taken = this.db
        .prepare(`UPDATE quiz_posts SET claimed_by = ?, claimed_at = ?, late = 1 WHERE channel_key = ? AND local_date = ? AND status = 'claimed' AND claimed_at < ?`)
        .run(post.claimedBy, now.getTime(), post.channelKey, post.localDate, now.getTime() - leaseMs);
      return taken.changes === 1;
    }).immediate();
  }

  markPosted(channelKey: string, localDate: string, ref: { threadId?: string; messageId?: string }, postedAt: Date, closesAt: Date): void {
    this.db
      .prepare(`UPDATE quiz_posts SET status = 'posted', thread_id = ?, message_id = ?, posted_at = ?, closes_at = ? WHERE channel_key = ? AND local_date = ?`)
      .run(ref.threadId ?? null, ref.messageId ?? null, postedAt.getTime(), closesAt.getTime(), channelKey, localDate);
  }

  markClosed(channelKey: string, localDate: string): void {
    this.db.prepare(`UPDATE quiz_posts SET status = 'closed' WHERE channel_key = ? AND local_date = ?`).run(channelKey, localDate);
  }

  post(channelKey: string, localDate: string): QuizPost | undefined {
    const row = this.db.prepare('SELECT * FROM quiz_posts WHERE channel_key = ? AND local_date = ?').get(channelKey, localDate) as PostRow | undefined;
    return row ? toPost(row) : undefined;
  }

  postByThread(channelKey: string, threadId: string): QuizPost | undefined {
    const row = this.db.prepare('SELECT * FROM quiz_posts WHERE channel_key = ? AND thread_id = ?').get(channelKey, threadId) as PostRow | undefined;
    return row ? toPost(row) : undefined;
  }

  postsToClose(now: Date): QuizPost[] {
    return (this.db.prepare(`SELECT * FROM quiz_posts WHERE status = 'posted' AND closes_at <= ?`).all(now.getTime()) as PostRow[]).map(toPost);
  }

  usedQuestionIds(channelKey: string): string[] {
    return (this.db.prepare('SELECT question_id FROM quiz_posts WHERE channel_key = ? ORDER BY slot_at').all(channelKey) as { question_id: string }[]).map((row) => row.question_id);
  }

  recordAnswer(channelKey: string, localDate: string, userId: string, userName: string | undefined, score: number, now: Date): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO quiz_answers (channel_key, local_date, user_id, user_name, score, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(channelKey, localDate, userId, userName ?? null, score, now.getTime()).changes === 1
    );
  }

  answerOf(channelKey: string, localDate: string, userId: string): number | undefined {
    const row = this.db.prepare('SELECT score FROM quiz_answers WHERE channel_key = ? AND local_date = ? AND user_id = ?').get(channelKey, localDate, userId) as { score: number } | undefined;
    return row?.score;
  }

  lastChannelOf(userId: string): string | undefined {
    const row = this.db.prepare('SELECT channel_key FROM quiz_answers WHERE user_id = ? ORDER BY created_at DESC LIMIT 1').get(userId) as { channel_key: string } | undefined;
    return row?.channel_key;
  }

  answerCount(channelKey: string, localDate: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM quiz_answers WHERE channel_key = ? AND local_date = ?').get(channelKey, localDate) as { n: number }).n;
  }

  board(channelKey: string, sinceLocalDate = '0000-00-00', untilLocalDate = '9999-99-99'): BoardRow[] {
    const rows = this.db
      .prepare(
        `SELECT user_id, MAX(user_name) AS user_name, SUM(score) AS points, COUNT(*) AS answers FROM quiz_answers
         WHERE channel_key = ? AND local_date >= ? AND local_date <= ? GROUP BY user_id ORDER BY points DESC, answers DESC, user_id LIMIT 10`,
      )
      .all(channelKey, sinceLocalDate, untilLocalDate) as { user_id: string; user_name: string | null; points: number; answers: number }[];
    return rows.map((row) => ({ userId: row.user_id, ...(row.user_name ? { userName: row.user_name } : {}), points: Math.round(row.points), answers: row.answers }));
  }

  forgetUser(userId: string): void {
    this.db.prepare('DELETE FROM quiz_answers WHERE user_id = ?').run(userId);
  }
}
