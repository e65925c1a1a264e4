import type { Reply } from '../model/message.js';
import type { NormalizedMessage } from '../model/normalized.js';
import type { UserRecord } from './store.js';
import type { ProgressReport } from '../progress.js';

/** Channel quizzes (schedules, answers in quiz threads, leaderboards), provided by src/quiz. */
export interface QuizPort {
  /** `quiz schedule ...` (admins) in a channel. */
  schedule(message: NormalizedMessage, args: string, user: UserRecord): Promise<Reply[]>;
  /** An answer in a quiz post's thread, or undefined when the conversation is not a quiz thread. */
  answerInThread(message: NormalizedMessage, answer: string, user: UserRecord): Promise<Reply[] | undefined>;
  leaderboard(message: NormalizedMessage): Promise<Reply[]>;
  /** Streak in days, counted in the user's timezone with the grace rule. */
  streak?(userId: string, timezone: string): number;
  /** The timezone of the channel whose quiz this user answered last (streak fallback). */
  userTimezone?(userId: string): string | undefined;
  forgetUser?(userId: string): void;
}

/** Renders a progress chart to a PNG file and returns its path. */
export interface ChartRenderer {
  renderProgress(userId: string, report: ProgressReport): Promise<string | undefined>;
}

/** The LLM as interviewer: sharper follow-ups and answers to clarifying questions. Optional. */
export interface InterviewerPort {
  /** A follow-up question aimed at the missed points; undefined to use the rubric's own. */
  followUp(input: { question: string; missedPoints: string[]; answer: string; userId: string }): Promise<string | undefined>;
  /**
   * Within a system-design phase, answers the candidate's clarifying questions from the scenario
   * (the interviewer's private notes), without giving away the solution. Undefined when unavailable.
   */
  clarify(input: { question: string; phase: string; phasePrompt: string; candidateMessage: string; scenarioNotes: string; userId: string }): Promise<string | undefined>;
}
