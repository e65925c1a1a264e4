import type { AnswerRecord, GradedAnswerCommit, ReviewRecord, Store, UserRecord, UserSettings } from '../core/ports/store.js';
import { interviewSessionSchema, type InterviewSession } from '../interview/session.js';
import type { SqliteDatabase } from './database.js';

interface AnswerRow {
  id: string;
  user_id: string;
  question_id: string;
  area: string;
  level: string;
  source: AnswerRecord['source'];
  session_id: string | null;
  score: number;
  max_score: number;
  grader: AnswerRecord['grader'];
  skipped: number;
  missed_points: string;
  created_at: number;
}

function toAnswer(row: AnswerRow): AnswerRecord {
  return {
    id: row.id,
    userId: row.user_id,
    questionId: row.question_id,
    area: row.area,
    level: row.level,
    source: row.source,
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    score: row.score,
    maxScore: row.max_score,
    grader: row.grader,
    skipped: row.skipped === 1,
    missedPoints: JSON.parse(row.missed_points) as string[],
    createdAt: new Date(row.created_at),
  };
}

function parseSettings(text: string): UserSettings {
  const value = JSON.parse(text) as Partial<UserSettings>;
  return { tracks: Array.isArray(value.tracks) ? value.tracks : [], ...(value.timezone ? { timezone: value.timezone } : {}), ...(value.level ? { level: value.level } : {}) };
}

/** The engine's state in SQLite. Each method is one transaction. */
export class SqliteStore implements Store {
  constructor(private readonly db: SqliteDatabase) {}

  getUser(userId: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT id, name, settings, created_at FROM users WHERE id = ?').get(userId) as
      | { id: string; name: string | null; settings: string; created_at: number }
      | undefined;
    if (!row) return undefined;
    return { id: row.id, ...(row.name ? { name: row.name } : {}), settings: parseSettings(row.settings), createdAt: new Date(row.created_at) };
  }

  ensureUser(userId: string, name: string | undefined, now: Date): UserRecord {
    this.db
      .prepare('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = COALESCE(excluded.name, users.name)')
      .run(userId, name ?? null, now.getTime());
    const user = this.getUser(userId);
    if (!user) throw new Error(`user ${userId} vanished after insert`);
    return user;
  }

  saveSettings(userId: string, settings: UserSettings): void {
    this.db.prepare('UPDATE users SET settings = ? WHERE id = ?').run(JSON.stringify(settings), userId);
  }

  activeSession(userId: string): InterviewSession | undefined {
    const row = this.db
      .prepare("SELECT state FROM sessions WHERE user_id = ? AND status IN ('awaiting-answer', 'awaiting-follow-up') ORDER BY updated_at DESC LIMIT 1")
      .get(userId) as { state: string } | undefined;
    return row ? interviewSessionSchema.parse(JSON.parse(row.state)) : undefined;
  }

  activeSessionInThread(platform: string, channelId: string, threadId: string): InterviewSession | undefined {
    const row = this.db
      .prepare(
        `SELECT state FROM sessions WHERE status IN ('awaiting-answer', 'awaiting-follow-up')
           AND json_extract(state, '$.conversation.platform') = ? AND json_extract(state, '$.conversation.channelId') = ?
           AND json_extract(state, '$.conversation.threadId') = ? ORDER BY updated_at DESC LIMIT 1`,
      )
      .get(platform, channelId, threadId) as { state: string } | undefined;
    return row ? interviewSessionSchema.parse(JSON.parse(row.state)) : undefined;
  }

  getSession(sessionId: string): InterviewSession | undefined {
    const row = this.db.prepare('SELECT state FROM sessions WHERE id = ?').get(sessionId) as { state: string } | undefined;
    return row ? interviewSessionSchema.parse(JSON.parse(row.state)) : undefined;
  }

  saveSession(session: InterviewSession): void {
    this.db
      .prepare(
        'INSERT INTO sessions (id, user_id, status, state, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_at = excluded.updated_at',
      )
      .run(session.id, session.userId, session.status, JSON.stringify(session), session.updatedAt.getTime());
  }

  commitGradedAnswer(commit: GradedAnswerCommit): void {
    const { answer, session, review } = commit;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO answers (id, user_id, question_id, area, level, source, session_id, score, max_score, grader, skipped, missed_points, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          answer.id,
          answer.userId,
          answer.questionId,
          answer.area,
          answer.level,
          answer.source,
          answer.sessionId ?? null,
          answer.score,
          answer.maxScore,
          answer.grader,
          answer.skipped ? 1 : 0,
          JSON.stringify(answer.missedPoints),
          answer.createdAt.getTime(),
        );
      if (session) this.saveSession(session);
      if (review) {
        this.db
          .prepare('INSERT INTO reviews (user_id, question_id, due, card) VALUES (?, ?, ?, ?) ON CONFLICT(user_id, question_id) DO UPDATE SET due = excluded.due, card = excluded.card')
          .run(review.userId, review.questionId, review.due.getTime(), review.card);
      }
    })();
  }

  answers(userId: string, options: { limit?: number; since?: Date } = {}): AnswerRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM answers WHERE user_id = ? AND created_at >= ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(userId, options.since?.getTime() ?? 0, options.limit ?? 10_000) as AnswerRow[];
    return rows.map(toAnswer);
  }

  askedQuestionIds(userId: string): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT question_id FROM answers WHERE user_id = ?').all(userId) as { question_id: string }[];
    return new Set(rows.map((row) => row.question_id));
  }

  getReview(userId: string, questionId: string): ReviewRecord | undefined {
    const row = this.db.prepare('SELECT * FROM reviews WHERE user_id = ? AND question_id = ?').get(userId, questionId) as
      | { user_id: string; question_id: string; due: number; card: string }
      | undefined;
    return row ? { userId: row.user_id, questionId: row.question_id, due: new Date(row.due), card: row.card } : undefined;
  }

  dueReviews(userId: string, now: Date): ReviewRecord[] {
    const rows = this.db.prepare('SELECT * FROM reviews WHERE user_id = ? AND due <= ? ORDER BY due').all(userId, now.getTime()) as {
      user_id: string;
      question_id: string;
      due: number;
      card: string;
    }[];
    return rows.map((row) => ({ userId: row.user_id, questionId: row.question_id, due: new Date(row.due), card: row.card }));
  }

  markMessageProcessed(key: string, now: Date): boolean {
    const result = this.db.prepare('INSERT OR IGNORE INTO processed_messages (key, seen_at) VALUES (?, ?)').run(key, now.getTime());
    if (result.changes === 1 && Math.random() < 0.01) {
      // Duplicates only matter for minutes (platform retries); keep the table small.
      this.db.prepare('DELETE FROM processed_messages WHERE seen_at < ?').run(now.getTime() - 7 * 24 * 3600 * 1000);
    }
    return result.changes === 1;
  }

  forgetUser(userId: string): void {
    this.db.transaction(() => {
      for (const table of ['answers', 'reviews', 'sessions']) this.db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).run(userId);
      this.db.prepare('DELETE FROM users WHERE id = ?').run(userId);
    })();
  }
}
