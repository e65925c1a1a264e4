export interface QuizSchedule {
  channelKey: string;
  platform: string;
  channelId: string;
  /** HH:MM in the channel's timezone. */
  time: string;
  /** Cron day-of-week field, e.g. `*`, `1-5`, `1,3,5`. */
  weekdays: string;
  timezone: string;
  tracks: string[];
  createdBy: string;
  lastBoardWeek?: string;
  /** When the schedule was last changed; slots before it are not posted. */
  updatedAt?: Date;
}

export interface QuizPost {
  channelKey: string;
  localDate: string;
  questionId: string;
  status: 'claimed' | 'posted' | 'closed';
  claimedBy: string;
  claimedAt: Date;
  slotAt: Date;
  threadId?: string;
  messageId?: string;
  postedAt?: Date;
  closesAt?: Date;
  late: boolean;
}

export interface BoardRow {
  userId: string;
  userName?: string;
  points: number;
  answers: number;
}

/** Quiz persistence; claims are atomic so several instances on one database post once. */
export interface QuizStore {
  saveSchedule(schedule: QuizSchedule, now: Date): void;
  deleteSchedule(channelKey: string): boolean;
  schedule(channelKey: string): QuizSchedule | undefined;
  schedules(): QuizSchedule[];
  /** Moves the board week forward; true only for the one caller that moved it. */
  setLastBoardWeek(channelKey: string, week: string): boolean;
  /** Claims the (channel, local date) post; true only for the one caller that got it. */
  claimPost(post: Omit<QuizPost, 'status'>, leaseMs: number, now: Date): boolean;
  markPosted(channelKey: string, localDate: string, ref: { threadId?: string; messageId?: string }, postedAt: Date, closesAt: Date): void;
  markClosed(channelKey: string, localDate: string): void;
  post(channelKey: string, localDate: string): QuizPost | undefined;
  postByThread(channelKey: string, threadId: string): QuizPost | undefined;
  postsToClose(now: Date): QuizPost[];
  usedQuestionIds(channelKey: string): string[];
  /** Records a user's one graded answer for a quiz; false when they already answered. */
  recordAnswer(channelKey: string, localDate: string, userId: string, userName: string | undefined, score: number, now: Date): boolean;
  answerOf(channelKey: string, localDate: string, userId: string): number | undefined;
  answerCount(channelKey: string, localDate: string): number;
  /** Channel of this user's most recent quiz answer. */
  lastChannelOf(userId: string): string | undefined;
  board(channelKey: string, sinceLocalDate?: string, untilLocalDate?: string): BoardRow[];
  forgetUser(userId: string): void;
}
