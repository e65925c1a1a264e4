import { randomUUID } from 'node:crypto';
import { reply, type Reply } from '../core/model/message.js';
import type { NormalizedMessage } from '../core/model/normalized.js';
import type { Clock } from '../core/ports/clock.js';
import type { InterviewerPort } from '../core/ports/extensions.js';
import type { GradeResult, Grader } from '../core/ports/grader.js';
import type { Retriever } from '../core/ports/retriever.js';
import type { AnswerRecord, AnswerSource, Store } from '../core/ports/store.js';
import type { Level } from '../knowledge/areas.js';
import type { Question } from '../knowledge/types.js';
import type { QuestionBank } from './bank.js';
import { chooseFollowUp, gradeAgainst, phaseRubric, pointersFor, pointsRubric } from './grading.js';
import { maxScoreAfterHints, verdictFor, verdictWord } from '../core/gradingPolicy.js';
import { quote, renderFeedback, renderQuestion } from './render.js';
import { scheduleReview } from './reviews.js';
import { currentQuestionId, type InterviewSession } from './session.js';
import { renderSummary } from './summary.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export interface InterviewDeps {
  interviewer?: InterviewerPort;
  store: Store;
  bank: QuestionBank;
  grader: Grader;
  retriever: Retriever;
  clock: Clock;
  maxAnswerChars: number;
}

export interface StartRequest {
  track: string;
  areas: readonly string[];
  level: Level;
  questions: Question[];
  kind: 'interview' | 'daily';
  /** Ids among `questions` that are spaced-repetition reviews. */
  reviews?: string[];
  /** A sentence for the intro, e.g. that the level had to be mixed. */
  note?: string;
}

/** The mock-interview state machine. Every transition is saved before replies are returned. */
export class InterviewFlow {
  constructor(private readonly deps: InterviewDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  private question(session: InterviewSession): Question {
    const id = currentQuestionId(session);
    const question = id ? this.deps.bank.question(id) : undefined;
    if (!question) throw new Error(`question ${id ?? '(none)'} of session ${session.id} is not in the bank`);
    return question;
  }

  start(message: NormalizedMessage, request: StartRequest): Reply[] {
    const now = this.now();
    const session: InterviewSession = {
      id: randomUUID(),
      userId: message.userId,
      kind: request.kind,
      track: request.track,
      level: request.level,
      questionIds: request.questions.map((question) => question.id),
      index: 0,
      phaseIndex: 0,
      phaseAnswers: [],
      hintsUsed: 0,
      status: 'awaiting-answer',
      pendingAnswer: '',
      conversation: { platform: message.platform, channelId: message.conversation.channelId, ...(message.conversation.threadId ? { threadId: message.conversation.threadId } : {}), isDirect: message.conversation.isDirect },
      results: [],
      reviews: request.reviews ?? [],
      createdAt: now,
      updatedAt: now,
    };
    this.deps.store.saveSession(session);
    const first = this.question(session);
    const intro =
      request.kind === 'daily'
        ? undefined
        : reply({
            kind: 'info',
            title: `Mock interview: ${request.track} · ${request.level} · ${session.questionIds.length} question${session.questionIds.length === 1 ? '' : 's'}`,
            sections: [
              { body: 'Answer as you would out loud in an interview: explain your reasoning, name trade-offs. Each answer is graded against a rubric.' },
              ...(request.reviews?.length ? [{ body: `${request.reviews.length} of these ${request.reviews.length === 1 ? 'is a review' : 'are reviews'} of questions you found hard before (spaced repetition).` }] : []),
              ...(request.note ? [{ body: request.note }] : []),
            ],
            sessionRef: session.id,
          });
    // In a shared channel the interview moves into a thread; the intro opens it.
    const openThread = !message.conversation.isDirect && !message.conversation.threadId;
    if (intro && openThread) intro.openThread = { name: `Mock interview: ${request.track}`.slice(0, 90) };
    const questionReply = renderQuestion(session, first, { openThread: openThread && !intro });
    return intro ? [intro, questionReply] : [questionReply];
  }

  repeat(session: InterviewSession): Reply[] {
    if (session.status === 'awaiting-follow-up' && session.followUp) {
      return [reply({ kind: 'follow-up', title: 'Follow-up (optional)', sections: [{ body: session.followUp.text }, { body: '_Answer it, or say `next` to move on._' }], sessionRef: session.id })];
    }
    return [renderQuestion(session, this.question(session), { repeated: true })];
  }

  hint(session: InterviewSession): Reply[] {
    if (session.status === 'awaiting-follow-up') {
      return [reply({ kind: 'info', private: true, sections: [{ body: 'There are no hints for a follow-up. Answer it, or say `next` to move on.' }] })];
    }
    const question = this.question(session);
    const hints = question.rubric.hints;
    if (session.hintsUsed >= hints.length) {
      return [reply({ kind: 'info', sections: [{ body: hints.length ? 'No more hints for this question. Give it your best shot, or `skip`.' : 'This question has no hints. Give it your best shot, or `skip`.' }] })];
    }
    const updated: InterviewSession = { ...session, hintsUsed: session.hintsUsed + 1, updatedAt: this.now() };
    this.deps.store.saveSession(updated);
    return [
      reply({
        kind: 'info',
        title: `Hint ${updated.hintsUsed}/${hints.length}`,
        sections: [{ body: hints[updated.hintsUsed - 1] ?? '' }, { body: `_This question is now worth at most ${maxScoreAfterHints(updated.hintsUsed)}/100._` }],
        sessionRef: session.id,
      }),
    ];
  }

  /** Buffers an answer part sent with a leading `...`. */
  continueAnswer(session: InterviewSession, part: string): Reply[] {
    const pendingAnswer = session.pendingAnswer ? `${session.pendingAnswer}\n${part}` : part;
    this.deps.store.saveSession({ ...session, pendingAnswer, updatedAt: this.now() });
    const how = session.conversation.platform === 'terminal' ? 'finish with an empty line' : 'a message without a leading `...` completes your answer';
    return [reply({ kind: 'info', sections: [{ body: `Got it (${pendingAnswer.length} characters so far). Send the rest; ${how}.` }] })];
  }

  async answer(session: InterviewSession, rawAnswer: string): Promise<Reply[]> {
    const combined = session.pendingAnswer ? `${session.pendingAnswer}\n${rawAnswer}` : rawAnswer;
    const truncated = combined.length > this.deps.maxAnswerChars;
    const answer = truncated ? combined.slice(0, this.deps.maxAnswerChars) : combined;
    const notice = truncated ? `Your answer was ${combined.length} characters; I graded the first ${this.deps.maxAnswerChars}.` : undefined;
    const current: InterviewSession = { ...session, pendingAnswer: '' };
    if (session.status === 'awaiting-follow-up') return this.answerFollowUp(current, answer, notice);
    const question = this.question(current);
    if (question.phases.length > 0) return this.answerPhase(current, question, answer, notice);
    const result = await gradeAgainst(this.deps.grader, question, question.rubric, answer, maxScoreAfterHints(current.hintsUsed), current.userId);
    if (notice) result.notices.unshift(notice);
    return this.finishQuestion(current, question, result, answer);
  }

  private async answerPhase(session: InterviewSession, question: Question, answer: string, notice?: string): Promise<Reply[]> {
    const phase = question.phases[session.phaseIndex];
    if (!phase) throw new Error(`phase ${session.phaseIndex} missing in ${question.id}`);
    const result = await gradeAgainst(this.deps.grader, question, phaseRubric(question, phase.phase), answer, 100, session.userId);
    if (notice) result.notices.unshift(notice);
    const phaseAnswers = [...session.phaseAnswers, { phase: phase.phase, answer, score: result.score }];
    const interviewerNote = answer.includes('?') ? await this.clarify(session, question, phase, answer) : undefined;
    const isLast = session.phaseIndex + 1 >= question.phases.length;
    if (!isLast) {
      const next: InterviewSession = { ...session, phaseIndex: session.phaseIndex + 1, phaseAnswers, updatedAt: this.now() };
      this.deps.store.saveSession(next);
      const missed = result.criteria.filter((criterion) => !criterion.met).map((criterion) => question.rubric.keyPoints.find((point) => point.id === criterion.id)).filter((point) => point !== undefined);
      const pointers = await pointersFor(this.deps.retriever, missed);
      return [
        ...(interviewerNote ? [interviewerNote] : []),
        renderFeedback(question, result, pointers, { title: `Phase ${session.phaseIndex + 1}/${question.phases.length} (${phase.phase}): ${result.score}/100`, showModelAnswer: false, sessionRef: session.id }),
        renderQuestion(next, question),
      ];
    }
    const whole = await this.gradeDesign(session, question, phaseAnswers);
    if (notice) whole.notices.unshift(notice);
    return this.finishQuestion({ ...session, phaseAnswers }, question, whole, phaseAnswers.map((item) => item.answer).join('\n'));
  }

  /** The interviewer answers clarifying questions from the scenario; never blocks grading. */
  private async clarify(session: InterviewSession, question: Question, phase: { phase: string; prompt: string }, answer: string): Promise<Reply | undefined> {
    if (!this.deps.interviewer) return undefined;
    try {
      const text = await this.deps.interviewer.clarify({ question: question.question, phase: phase.phase, phasePrompt: phase.prompt, candidateMessage: answer, scenarioNotes: question.rubric.modelAnswer, userId: session.userId });
      return text ? reply({ kind: 'info', title: 'Interviewer', sections: [{ body: text }], sessionRef: session.id }) : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeFollowUp(session: InterviewSession, question: Question, result: GradeResult, answer: string): Promise<{ text: string; pointIds: string[] } | undefined> {
    const fallback = chooseFollowUp(question, result);
    const missed = result.criteria.filter((criterion) => !criterion.met);
    if (!this.deps.interviewer || missed.length === 0) return fallback;
    try {
      const text = await this.deps.interviewer.followUp({ question: question.question, missedPoints: missed.map((criterion) => criterion.point), answer, userId: session.userId });
      return text ? { text, pointIds: missed.map((criterion) => criterion.id) } : fallback;
    } catch {
      return fallback;
    }
  }

  /**
   * The whole design graded against the whole rubric; each phase counts by the weight of its
   * points, and phases never answered (skip or end part-way) count as zero.
   */
  private async gradeDesign(session: InterviewSession, question: Question, phaseAnswers: InterviewSession['phaseAnswers']): Promise<GradeResult> {
    const whole = await gradeAgainst(this.deps.grader, question, question.rubric, phaseAnswers.map((item) => item.answer).join('\n'), maxScoreAfterHints(session.hintsUsed), session.userId);
    const weightOf = (name: string) => question.rubric.keyPoints.filter((point) => point.phase === name).reduce((sum, point) => sum + point.weight, 0);
    const totalWeight = question.phases.reduce((sum, phase) => sum + weightOf(phase.phase), 0) || 1;
    const phased = phaseAnswers.reduce((sum, item) => sum + item.score * weightOf(item.phase), 0) / totalWeight;
    // Phase scores already carry misconception penalties; a later phase may also earn an earlier phase's point.
    const complete = phaseAnswers.length >= question.phases.length;
    // The whole-rubric grade also credits a design given in one go (all phases in the first message).
    whole.score = Math.max(0, Math.min(maxScoreAfterHints(session.hintsUsed), Math.round(Math.max(phased, whole.score))));
    whole.verdict = verdictFor(whole.score);
    whole.notices.unshift(`Phase scores: ${question.phases.map((phase) => `${phase.phase} ${phaseAnswers.find((item) => item.phase === phase.phase)?.score ?? '—'}`).join(', ')}.${complete ? '' : ' Phases not answered count as 0.'}`);
    return whole;
  }

  private record(session: InterviewSession, question: Question, result: GradeResult | undefined, source: AnswerSource): AnswerRecord {
    return {
      id: randomUUID(),
      userId: session.userId,
      questionId: question.id,
      area: question.area,
      level: question.level,
      source,
      sessionId: session.id,
      score: result?.score ?? 0,
      maxScore: maxScoreAfterHints(session.hintsUsed),
      grader: result?.grader ?? 'offline',
      skipped: result === undefined,
      missedPoints: result ? result.criteria.filter((criterion) => !criterion.met).map((criterion) => criterion.id) : question.rubric.keyPoints.map((point) => point.id),
      createdAt: this.now(),
    };
  }

  private async finishQuestion(session: InterviewSession, question: Question, result: GradeResult, answer: string): Promise<Reply[]> {
    const followUp = await this.writeFollowUp(session, question, result, answer);
    const now = this.now();
    const answerRecord = this.record(session, question, result, session.kind === 'daily' ? 'daily' : 'interview');
    const results = [...session.results, { questionId: question.id, area: question.area, score: result.score, skipped: false, missed: answerRecord.missedPoints }];
    const base: InterviewSession = { ...session, results, hintsUsed: session.hintsUsed, updatedAt: now };
    const next: InterviewSession = followUp
      ? { ...base, status: 'awaiting-follow-up', followUp: { questionId: question.id, ...followUp } }
      : this.advance(base);
    const review = scheduleReview(this.deps.store.getReview(session.userId, question.id), session.userId, question.id, result.score, now);
    this.deps.store.commitGradedAnswer({ answer: answerRecord, session: next, review });
    const missedPoints = question.rubric.keyPoints.filter((point) => result.criteria.some((criterion) => criterion.id === point.id && !criterion.met));
    const pointers = await pointersFor(this.deps.retriever, missedPoints);
    const replies = [renderFeedback(question, result, pointers, { showModelAnswer: true, sessionRef: session.id })];
    if (followUp) {
      replies.push(reply({ kind: 'follow-up', title: 'Follow-up (optional)', sections: [{ body: followUp.text }, { body: '_Answer it, or say `next` to move on._' }], sessionRef: session.id }));
      return replies;
    }
    return [...replies, ...this.nextOrSummary(next)];
  }

  private async answerFollowUp(session: InterviewSession, answer: string, notice?: string): Promise<Reply[]> {
    const followUp = session.followUp;
    const question = followUp ? this.deps.bank.question(followUp.questionId) : undefined;
    const next = this.advance({ ...session, updatedAt: this.now() });
    if (!followUp || !question) {
      this.deps.store.saveSession(next);
      return this.nextOrSummary(next);
    }
    if (followUp.pointIds.length === 0) {
      this.deps.store.saveSession(next);
      const thanks = reply({ kind: 'info', title: 'Follow-up', sections: [{ body: 'Thanks — stretch follow-ups are for practice and are not scored. Use `ask` to check a detail against the notes.' }], sessionRef: session.id });
      return [thanks, ...this.nextOrSummary(next)];
    }
    const result = await gradeAgainst(this.deps.grader, question, pointsRubric(question, followUp.pointIds), answer, 100, session.userId);
    const record = this.record(session, question, result, 'follow-up');
    this.deps.store.commitGradedAnswer({ answer: record, session: next });
    const met = result.criteria.filter((criterion) => criterion.met);
    const body = met.length
      ? `Good — that covers it: ${met.map((criterion) => `**${criterion.point}**${criterion.evidence ? ` (you said ${quote(criterion.evidence, 140)})` : ''}`).join('; ')}.`
      : `${capitalised(verdictWord(result.score))}. The point to get across: ${result.criteria.map((criterion) => criterion.point).join(' ')}`;
    const replies = [reply({ kind: 'feedback', title: `Follow-up: ${result.score}/100`, sections: [{ body }, ...(notice ? [{ body: `_${notice}_` }] : [])], score: result.score, sessionRef: session.id })];
    return [...replies, ...this.nextOrSummary(next)];
  }

  async skip(session: InterviewSession): Promise<Reply[]> {
    const now = this.now();
    if (session.status === 'awaiting-follow-up') {
      const next = this.advance({ ...session, updatedAt: now });
      this.deps.store.saveSession(next);
      return this.nextOrSummary(next);
    }
    const question = this.question(session);
    if (question.phases.length > 0 && session.phaseAnswers.length > 0) {
      // Skipping the rest of a design keeps the phases already answered.
      const result = await this.gradeDesign(session, question, session.phaseAnswers);
      return this.finishQuestion({ ...session, pendingAnswer: '' }, question, result, session.phaseAnswers.map((item) => item.answer).join('\n'));
    }
    const results = [...session.results, { questionId: question.id, area: question.area, score: 0, skipped: true, missed: question.rubric.keyPoints.map((point) => point.id) }];
    const next = this.advance({ ...session, results, pendingAnswer: '', updatedAt: now });
    // A skipped question is a weak spot: schedule it to come back soon.
    const review = scheduleReview(this.deps.store.getReview(session.userId, question.id), session.userId, question.id, 0, now);
    this.deps.store.commitGradedAnswer({ answer: this.record(session, question, undefined, session.kind === 'daily' ? 'daily' : 'interview'), session: next, review });
    return [
      reply({ kind: 'info', title: 'Skipped', sections: [{ heading: 'Model answer', body: question.rubric.modelAnswer, collapsed: true }], sessionRef: session.id }),
      ...this.nextOrSummary(next),
    ];
  }

  async end(session: InterviewSession, reason: 'ended' | 'expired' = 'ended'): Promise<Reply[]> {
    let current = session;
    const question = session.status === 'awaiting-answer' ? this.deps.bank.question(currentQuestionId(session) ?? '') : undefined;
    if (question && question.phases.length > 0 && session.phaseAnswers.length > 0) {
      // Phases already answered are graded and kept, not thrown away.
      const result = await this.gradeDesign(session, question, session.phaseAnswers);
      const record = this.record(session, question, result, session.kind === 'daily' ? 'daily' : 'interview');
      current = { ...session, results: [...session.results, { questionId: question.id, area: question.area, score: result.score, skipped: false, missed: record.missedPoints }] };
      const review = scheduleReview(this.deps.store.getReview(session.userId, question.id), session.userId, question.id, result.score, this.now());
      this.deps.store.commitGradedAnswer({ answer: record, review });
    }
    const finished: InterviewSession = { ...current, status: reason === 'expired' ? 'expired' : 'finished', updatedAt: this.now() };
    this.deps.store.saveSession(finished);
    return [renderSummary(finished, this.deps.bank, reason)];
  }

  /** Moves to the next question (or finishes) and resets per-question state. */
  private advance(session: InterviewSession): InterviewSession {
    const index = session.index + 1;
    const { followUp: _dropped, ...rest } = session;
    if (index >= session.questionIds.length) return { ...rest, status: 'finished', pendingAnswer: '' };
    return { ...rest, index, phaseIndex: 0, phaseAnswers: [], hintsUsed: 0, pendingAnswer: '', status: 'awaiting-answer' };
  }

  private nextOrSummary(session: InterviewSession): Reply[] {
    if (session.status === 'finished') return [renderSummary(session, this.deps.bank, 'completed')];
    return [renderQuestion(session, this.question(session))];
  }
}
