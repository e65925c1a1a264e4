import type { InterviewSession } from '../../interview/session.js';

export interface UserSettings {
  timezone?: string;
  level?: 'easy' | 'medium' | 'hard';
  tracks: string[];
}

export interface UserRecord {
  id: string;
  name?: string;
  settings: UserSettings;
  createdAt: Date;
}

export type AnswerSource = 'interview' | 'follow-up' | 'quiz' | 'daily' | 'review';

export interface AnswerRecord {
  id: string;
  userId: string;
  questionId: string;
  area: string;
  level: string;
  source: AnswerSource;
  sessionId?: string;
  score: number;
  maxScore: number;
  grader: 'offline' | 'llm';
  skipped: boolean;
  /** Point ids met / missed, for "what to study next". */
  missedPoints: string[];
  createdAt: Date;
}

/** Spaced-repetition state of one question for one user (FSRS card, serialised). */
export interface ReviewRecord {
  userId: string;
  questionId: string;
  due: Date;
  card: string;
}

/** A graded answer and everything that changes with it, committed in one transaction. */
export interface GradedAnswerCommit {
  answer: AnswerRecord;
  session?: InterviewSession;
  review?: ReviewRecord;
}

/** Persistence the engine needs. Every write is durable when the call returns. */
export interface Store {
  getUser(userId: string): UserRecord | undefined;
  ensureUser(userId: string, name: string | undefined, now: Date): UserRecord;
  saveSettings(userId: string, settings: UserSettings): void;

  /** The user's interview that is not finished or expired, if any. */
  activeSession(userId: string): InterviewSession | undefined;
  getSession(sessionId: string): InterviewSession | undefined;
  /** An active interview running in this thread, whoever owns it. */
  activeSessionInThread(platform: string, channelId: string, threadId: string): InterviewSession | undefined;
  saveSession(session: InterviewSession): void;

  commitGradedAnswer(commit: GradedAnswerCommit): void;
  answers(userId: string, options?: { limit?: number; since?: Date }): AnswerRecord[];
  /** Questions this user was asked (answered or skipped), most recent last. */
  askedQuestionIds(userId: string): Set<string>;

  getReview(userId: string, questionId: string): ReviewRecord | undefined;
  dueReviews(userId: string, now: Date): ReviewRecord[];

  /** Records a platform message id; false when it was seen before (retries, duplicates). */
  markMessageProcessed(key: string, now: Date): boolean;

  /** Deletes every row about this user. */
  forgetUser(userId: string): void;
}
