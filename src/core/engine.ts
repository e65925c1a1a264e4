import { randomUUID } from 'node:crypto';
import { areasForTrack, LEVELS, TRACKS, trackNames, type Level } from '../knowledge/areas.js';
import { QuestionBank } from '../interview/bank.js';
import { InterviewFlow } from '../interview/flow.js';
import { pickQuestions } from '../interview/picker.js';
import type { InterviewSession } from '../interview/session.js';
import { parseInput, slashCommandText, suggestCommand } from './commands/parse.js';
import { cleanInput } from './input.js';
import { incomingMessageSchema, type Conversation, type IncomingMessage, type Reply } from './model/message.js';
import { conversationKey, type NormalizedMessage } from './model/normalized.js';
import type { Clock } from './ports/clock.js';
import type { Engine } from './ports/engine.js';
import type { ChartRenderer, InterviewerPort, QuizPort } from './ports/extensions.js';
import type { Grader } from './ports/grader.js';
import type { Logger } from './ports/logger.js';
import type { Answerer, Retriever } from './ports/retriever.js';
import type { Store, UserRecord } from './ports/store.js';
import { buildProgress, localDay } from './progress.js';
import { answerReply, errorReply, helpReply, infoReply, progressReply } from './replies.js';
import { settingsCommand } from './settings.js';

export interface EngineOptions {
  sessionTtlMinutes: number;
  maxAnswerChars: number;
  defaultTimezone: string;
  admins: readonly string[];
}

export interface EngineDeps {
  store: Store;
  bank: QuestionBank;
  grader: Grader;
  retriever: Retriever;
  answerer: Answerer;
  clock: Clock;
  logger: Logger;
  options: EngineOptions;
  quiz?: QuizPort;
  charts?: ChartRenderer;
  interviewer?: InterviewerPort;
}

/** The platform-neutral conversation engine. Holds no conversation state in memory. */
export class CoachEngine implements Engine {
  private readonly flow: InterviewFlow;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: EngineDeps) {
    this.flow = new InterviewFlow({ ...(deps.interviewer ? { interviewer: deps.interviewer } : {}), store: deps.store, bank: deps.bank, grader: deps.grader, retriever: deps.retriever, clock: deps.clock, maxAnswerChars: deps.options.maxAnswerChars });
  }

  /** Lets the quiz module be attached after construction (it needs the engine's posters). */
  attachQuiz(quiz: QuizPort): void {
    this.deps.quiz = quiz;
  }

  attachCharts(charts: ChartRenderer): void {
    this.deps.charts = charts;
  }

  handle(message: IncomingMessage): Promise<Reply[]> {
    const parsed = incomingMessageSchema.safeParse(message);
    if (!parsed.success) {
      this.deps.logger.warn({ issues: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'invalid incoming message');
      return Promise.resolve([errorReply('I could not read that message.')]);
    }
    const normalized = parsed.data;
    // One user's messages run strictly in order; other users are not held up.
    const previous = this.queues.get(normalized.userId) ?? Promise.resolve();
    const run = previous.then(() => this.handleSafely(normalized));
    const settled = run.catch(() => undefined);
    this.queues.set(normalized.userId, settled);
    void settled.then(() => {
      if (this.queues.get(normalized.userId) === settled) this.queues.delete(normalized.userId);
    });
    return run;
  }

  /** Whether this user's next free text is an answer (terminals collect multi-line answers then). */
  answerState(userId: string): { awaiting: boolean; pendingChars: number; hintsUsed: number } {
    const found = this.deps.store.activeSession(userId);
    const session = found && this.now().getTime() - found.updatedAt.getTime() <= this.deps.options.sessionTtlMinutes * 60_000 ? found : undefined;
    return { awaiting: Boolean(session), pendingChars: session?.pendingAnswer.length ?? 0, hintsUsed: session?.hintsUsed ?? 0 };
  }

  async attachThread(sessionRef: string, conversation: Conversation): Promise<void> {
    const session = this.deps.store.getSession(sessionRef);
    if (!session) return;
    this.deps.store.saveSession({ ...session, conversation: { ...session.conversation, channelId: conversation.channelId, ...(conversation.threadId ? { threadId: conversation.threadId } : {}), isDirect: conversation.isDirect } });
  }

  private async handleSafely(message: NormalizedMessage): Promise<Reply[]> {
    const requestId = message.messageId ?? randomUUID().slice(0, 12);
    const started = Date.now();
    try {
      const replies = await this.route(message);
      // Who and how long, never what: answers are not logged at info level.
      this.deps.logger.info({ requestId, platform: message.platform, action: message.action?.id, chars: message.text.length, replies: replies.map((item) => item.kind), ms: Date.now() - started }, 'message handled');
      return replies;
    } catch (error) {
      const ref = randomUUID().slice(0, 8);
      this.deps.logger.error({ ref, requestId, userId: message.userId, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'engine failure');
      return [errorReply(`Sorry, something went wrong on my side (ref \`${ref}\`). Nothing you already saw was lost; please try again.`)];
    }
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** The user's own timezone, else the channel's where they take the daily quiz, else the default. */
  private timezoneOf(user: UserRecord): string {
    return user.settings.timezone ?? this.deps.quiz?.userTimezone?.(user.id) ?? this.deps.options.defaultTimezone;
  }

  /** Returns the active session, or expires it (with a note and its summary) when it has been idle too long. */
  private async activeSession(userId: string): Promise<{ session?: InterviewSession; expired: Reply[] }> {
    const session = this.deps.store.activeSession(userId);
    if (!session) return { expired: [] };
    const idleMs = this.now().getTime() - session.updatedAt.getTime();
    if (idleMs <= this.deps.options.sessionTtlMinutes * 60_000) return { session, expired: [] };
    const summary = await this.flow.end(session, 'expired');
    const what = session.kind === 'daily' ? 'daily question' : 'interview';
    const unfinished = session.pendingAnswer ? ' The unfinished answer you had started was not graded.' : '';
    const note = infoReply(`Your previous ${what} expired after being idle; its graded answers are saved.${unfinished} Here is its summary:`, { private: true });
    return { expired: [note, ...summary] };
  }

  private isInSessionConversation(session: InterviewSession, message: NormalizedMessage): boolean {
    if (message.conversation.isDirect && session.conversation.platform === message.platform) return true;
    if (session.conversation.platform !== message.platform) return false;
    if (session.conversation.threadId) return conversationKey(session.conversation) === conversationKey(message.conversation);
    return session.conversation.channelId === message.conversation.channelId;
  }

  private async route(message: NormalizedMessage): Promise<Reply[]> {
    const now = this.now();
    if (message.messageId && !this.deps.store.markMessageProcessed(`${message.platform}:${message.messageId}`, now)) {
      this.deps.logger.debug({ messageId: message.messageId }, 'duplicate message ignored');
      return [];
    }
    const user = this.deps.store.ensureUser(message.userId, message.userName, now);
    const { session, expired } = await this.activeSession(message.userId);
    const replies = await this.dispatch(message, user, session);
    return [...expired, ...replies];
  }

  private async dispatch(message: NormalizedMessage, user: UserRecord, session: InterviewSession | undefined): Promise<Reply[]> {
    if (message.action) return this.handleAction(message, user, session);
    const cleaned = cleanInput(message.text);
    const answering = session !== undefined && this.isInSessionConversation(session, message);
    if (cleaned.problem === 'binary') return [errorReply('That looks like binary data, not text. Please send your message as plain text.')];
    if (cleaned.problem === 'empty') {
      return [errorReply(answering ? 'That message was empty. Type your answer, or `hint`, `skip`, `repeat`, `end`.' : 'That message was empty. Type `help` to see what I can do.')];
    }
    if (cleaned.problem === 'no-words') {
      return [errorReply(answering ? 'I need words to grade — emoji or punctuation alone do not count as an answer. Try explaining in a sentence or two, or say `hint`.' : 'I need some words to work with. Type `help` to see what I can do.')];
    }
    const text = message.fromSlashCommand ? slashCommandText(cleaned.text) : cleaned.text;
    // Quiz threads take answers before anything else.
    if (this.deps.quiz && message.conversation.threadId && !answering) {
      const parsedCommand = parseInput(text);
      if (parsedCommand.kind !== 'command') {
        const quizReplies = await this.deps.quiz.answerInThread(message, text, user);
        if (quizReplies) return quizReplies;
      }
    }
    // Someone else's interview thread: chatter there is not a question for the bot (commands still work).
    if (!answering && message.conversation.threadId && !message.conversation.isDirect) {
      const owner = this.deps.store.activeSessionInThread(message.platform, message.conversation.channelId, message.conversation.threadId);
      if (owner && owner.userId !== message.userId && parseInput(text).kind === 'text') return [];
    }
    if (answering && session && /^(\.\.\.|…)/.test(text)) {
      return this.flow.continueAnswer(session, text.replace(/^(\.\.\.|…)\s*/, ''));
    }
    const parsed = parseInput(text, { answering });
    if (parsed.kind === 'unknown-command') {
      return [errorReply(`I do not know the command \`${parsed.word.slice(0, 40)}\`.${parsed.suggestion ? ` Did you mean \`${parsed.suggestion}\`?` : ''} Type \`help\` for the list.`)];
    }
    if (parsed.kind === 'text') {
      if (answering && session) return this.flow.answer(session, text);
      return this.ask(text, message, session);
    }
    return this.command(parsed.name, parsed.args, parsed.flags, parsed.positional, message, user, session);
  }

  private async handleAction(message: NormalizedMessage, user: UserRecord, session: InterviewSession | undefined): Promise<Reply[]> {
    const action = message.action;
    if (!action) return [];
    switch (action.id) {
      case 'submit-answer': {
        const cleaned = cleanInput(action.value ?? '');
        if (cleaned.problem) return [errorReply('The form was empty or unreadable; nothing was graded. Try again with some text.')];
        if (session && this.isInSessionConversation(session, message)) return this.flow.answer(session, cleaned.text);
        if (this.deps.quiz) {
          const quizReplies = await this.deps.quiz.answerInThread(message, cleaned.text, user);
          if (quizReplies) return quizReplies;
        }
        // A form opened from an interview question may be submitted from anywhere the platform allows.
        if (session) return this.flow.answer(session, cleaned.text);
        return [errorReply('There is no question waiting for an answer. Start one with `interview`.')];
      }
      case 'start-interview':
        return this.command('interview', action.value ?? '', {}, action.value ? [action.value] : [], message, user, session);
      case 'progress':
        return this.command('progress', '', {}, [], message, user, session);
      case 'hint':
      case 'skip':
      case 'end':
      case 'repeat':
        if (session && action.value && action.value !== session.id) return [errorReply('That button belongs to an interview that is already over.')];
        return this.command(action.id, '', {}, [], message, user, session);
      default:
        return [infoReply('Open the form to type your answer.', { private: true })];
    }
  }

  private async command(
    name: string,
    args: string,
    flags: Record<string, string>,
    positional: string[],
    message: NormalizedMessage,
    user: UserRecord,
    session: InterviewSession | undefined,
  ): Promise<Reply[]> {
    const noSession = () => [errorReply('No question is waiting for you. Start with `interview` (or `interview metrics --level hard`).')];
    switch (name) {
      case 'help':
        return [helpReply()];
      case 'interview':
        return this.startInterview(flags, positional, message, user, session);
      case 'quiz':
        return this.quiz(args, message, user, session);
      case 'ask':
        if (!args) return [errorReply('Ask me something, e.g. `ask when is ROC AUC misleading`.')];
        return this.ask(args, message, session);
      case 'hint':
        return session ? this.flow.hint(session) : noSession();
      case 'skip':
        return session ? this.flow.skip(session) : noSession();
      case 'repeat':
        return session ? this.flow.repeat(session) : noSession();
      case 'end':
        return session ? this.flow.end(session) : [infoReply('There is no interview running. Start one with `interview`.', { private: true })];
      case 'progress':
        return this.progress(user);
      case 'leaderboard':
        if (message.platform === 'terminal') return [infoReply('Leaderboards belong to channel quizzes on Slack and Discord. Here, `progress` shows your own scores and streak.', { private: true })];
        return this.deps.quiz ? this.deps.quiz.leaderboard(message) : [infoReply('Leaderboards come from channel quizzes, which are not enabled here.', { private: true })];
      case 'settings':
        return settingsCommand(this.deps.store, user, positional, this.deps.options.defaultTimezone);
      case 'forget':
        this.deps.store.forgetUser(user.id);
        this.deps.quiz?.forgetUser?.(user.id);
        return [infoReply('Done: I deleted all your data (answers, progress, settings and interviews).', { private: true })];
      default:
        return [errorReply(`Unknown command \`${name}\`. Type \`help\`.`)];
    }
  }

  private async ask(question: string, message: NormalizedMessage, session: InterviewSession | undefined): Promise<Reply[]> {
    const answer = await this.deps.answerer.answer(question.slice(0, 2000), { k: 4, userId: message.userId });
    const replies = [answerReply(answer)];
    if (session && this.isInSessionConversation(session, message)) {
      replies.push(infoReply(`_Your interview is still waiting for your answer to question ${session.index + 1}/${session.questionIds.length}._`));
    }
    return replies;
  }

  private resolveLevel(raw: string | undefined, user: UserRecord): Level | { error: string } {
    const value = (raw ?? user.settings.level ?? 'medium').toLowerCase();
    return (LEVELS as readonly string[]).includes(value) ? (value as Level) : { error: `Unknown level \`${value}\`. Use easy, medium or hard.` };
  }

  private startInterview(flags: Record<string, string>, positional: string[], message: NormalizedMessage, user: UserRecord, session: InterviewSession | undefined): Reply[] {
    if (session) {
      return [
        infoReply(`You already have an interview running (question ${session.index + 1}/${session.questionIds.length}). Answer it, or say \`end\` first.`, { private: true }),
        ...this.flow.repeat(session),
      ];
    }
    const requestedTracks = positional.map((word) => word.toLowerCase()).filter((word) => !(LEVELS as readonly string[]).includes(word));
    const requested = requestedTracks.length ? requestedTracks.join('+') : undefined;
    const tracks = requestedTracks.length ? requestedTracks : user.settings.tracks.length ? user.settings.tracks : Object.keys(TRACKS);
    const areas: string[] = [];
    for (const track of tracks) {
      const found = areasForTrack(track);
      if (!found) {
        const close = trackNames().find((name) => name.startsWith(track.slice(0, 3)));
        return [errorReply(`Unknown track \`${track.slice(0, 40)}\`.${close ? ` Did you mean \`${close}\`?` : ''} Tracks: ${trackNames().join(', ')}.`)];
      }
      areas.push(...found);
    }
    if (flags.level === 'true') return [errorReply('`--level` needs a value: easy, medium or hard.')];
    const level = this.resolveLevel(flags.level ?? positional.find((word) => (LEVELS as readonly string[]).includes(word.toLowerCase())), user);
    if (typeof level === 'object') return [errorReply(level.error)];
    const count = flags.questions ? Number(flags.questions) : 5;
    if (!Number.isInteger(count) || count < 1 || count > 10) return [errorReply('`--questions` takes a whole number from 1 to 10.')];
    const lastAsked = new Map<string, number>();
    for (const answer of this.deps.store.answers(user.id)) if (!lastAsked.has(answer.questionId)) lastAsked.set(answer.questionId, answer.createdAt.getTime());
    const dueReviews = this.deps.store.dueReviews(user.id, this.now()).map((review) => review.questionId);
    const questions = pickQuestions(this.deps.bank, { areas, level, count, lastAsked, dueReviews, seed: `${user.id}:${this.now().getTime()}` });
    if (questions.length === 0) return [errorReply(`There are no questions for \`${tracks.join(', ')}\` yet.`)];
    const offLevel = questions.filter((question) => question.level !== level).length;
    const note = offLevel ? `This track has fewer ${level} questions than you asked for, so ${offLevel} ${offLevel === 1 ? 'is' : 'are'} from another level (shown in each title).` : undefined;
    return this.flow.start(message, {
      track: requested ?? (tracks.length === Object.keys(TRACKS).length ? 'mixed' : tracks.join('+')),
      areas,
      level,
      questions,
      kind: 'interview',
      reviews: questions.filter((question) => dueReviews.includes(question.id)).map((question) => question.id),
      ...(note ? { note } : {}),
    });
  }

  private async quiz(args: string, message: NormalizedMessage, user: UserRecord, session: InterviewSession | undefined): Promise<Reply[]> {
    if (/^schedule\b/i.test(args)) {
      if (message.platform === 'terminal') return [infoReply('Quiz schedules are for Slack and Discord channels. Here, `quiz` gives you today\'s question.', { private: true })];
      if (!this.deps.quiz) return [errorReply('Channel quizzes are not enabled in this deployment.')];
      return this.deps.quiz.schedule(message, args.replace(/^schedule\s*/i, ''), { ...user });
    }
    if (args) return [errorReply('Use `quiz` for today\'s question, or `quiz schedule HH:MM [weekdays] [timezone] [tracks]` / `quiz schedule off` / `quiz schedule show`.')];
    if (session?.kind === 'daily') return [infoReply("Today's question is still waiting for your answer:", { private: true }), ...this.flow.repeat(session)];
    if (session) return [infoReply('Finish or `end` your current interview first; then `quiz` gives you today\'s question.', { private: true }), ...this.flow.repeat(session)];
    // Today's personal question: one per local day, answered like an interview question.
    const today = localDay(this.now(), this.timezoneOf(user));
    const todays = this.deps.store.answers(user.id, { since: new Date(this.now().getTime() - 36 * 3600_000) }).find((answer) => answer.source === 'daily' && localDay(answer.createdAt, this.timezoneOf(user)) === today);
    if (todays) return [infoReply(`You already did today's question (${Math.round(todays.score)}/100). Come back tomorrow, or start an \`interview\`.`)];
    const areas = user.settings.tracks.length ? user.settings.tracks.flatMap((track) => areasForTrack(track) ?? []) : Object.values(TRACKS).flat();
    const level = user.settings.level ?? 'medium';
    const lastAsked = new Map<string, number>();
    for (const answer of this.deps.store.answers(user.id)) if (!lastAsked.has(answer.questionId)) lastAsked.set(answer.questionId, answer.createdAt.getTime());
    // Today's question is a new one (reviews come up in interviews) and short enough for one answer.
    const quick = areas.filter((area) => area !== 'ml-system-design');
    const candidates = pickQuestions(this.deps.bank, { areas: quick.length ? quick : areas, level, count: 8, lastAsked, dueReviews: [], seed: `${user.id}:${today}` });
    const question = candidates.find((item) => item.phases.length === 0) ?? candidates[0];
    if (!question) return [errorReply('There are no questions in the bank yet.')];
    return this.flow.start(message, { track: 'daily', areas, level, questions: [question], kind: 'daily' });
  }

  private async progress(user: UserRecord): Promise<Reply[]> {
    const timezone = this.timezoneOf(user);
    const answers = this.deps.store.answers(user.id);
    const report = buildProgress(user.id, answers, this.deps.store.dueReviews(user.id, this.now()).length, timezone, this.now());
    if (this.deps.quiz?.streak) report.streakDays = Math.max(report.streakDays, this.deps.quiz.streak(user.id, timezone));
    let chart: string | undefined;
    if (this.deps.charts && report.totalAnswered > 0) {
      try {
        chart = await this.deps.charts.renderProgress(user.id, report);
      } catch (error) {
        this.deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'chart rendering failed; sending text only');
      }
    }
    return [progressReply(report, chart)];
  }
}

export { suggestCommand };
