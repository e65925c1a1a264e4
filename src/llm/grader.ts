import { z } from 'zod';
import type { ChatOpenAI } from '@langchain/openai';
import type { CriterionResult, EvidenceChecker, Grader, GradeRequest, GradeResult, MisconceptionResult } from '../core/ports/grader.js';
import type { Logger } from '../core/ports/logger.js';
import { calibrate, POINT_MET } from '../grading/calibration.js';
import { LOW_CONFIDENCE_GAP, verdictFor } from '../core/gradingPolicy.js';
import { applyRubricCaps, renderFeedback, type ScoreCap } from '../grading/feedback.js';
import { callStructured, classifyFailure, logCall, nonce, sha256, type DailyBudget } from './chat.js';
import { fill } from './prompts.js';
import type { PromptTemplate } from './prompts.js';

/** What the model returns: judgements only. The score is computed here, never taken from the model. */
export const gradeOutputSchema = z.object({
  judgements: z.array(
    z.object({
      id: z.string(),
      score: z.number().min(0).max(1),
      evidence: z.string(),
    }),
  ),
  misconceptions: z.array(
    z.object({
      index: z.number().int().min(0),
      evidence: z.string(),
    }),
  ),
});
export type GradeOutput = z.infer<typeof gradeOutputSchema>;

export interface LlmGraderOptions {
  model: ChatOpenAI;
  modelName: string;
  prompt: PromptTemplate;
  /** Grades alongside, answers when the LLM cannot, and checks every piece of the LLM's evidence. */
  offline: Grader & EvidenceChecker;
  logger: Logger;
  budget: DailyBudget;
  disagreement: number;
  maxAnswerChars: number;
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Evidence counts only when it is a verbatim part of the answer (whitespace and case aside). */
export function isVerbatim(evidence: string, answer: string): boolean {
  const quote = normalize(evidence.replace(/^["'“”]+|["'“”]+$/g, ''));
  return quote.length >= 3 && normalize(answer).includes(quote);
}

/**
 * Turns judgements into a GradeResult with the offline grader's calibration and caps. A point counts
 * only when its evidence is a verbatim part of the answer, is not an instruction to the grader, and
 * makes that point by the offline matcher (which credits paraphrases): the model says where the
 * point is made, the checker confirms that it is.
 */
export function scoreJudgements(request: GradeRequest, answer: string, output: GradeOutput, checker: EvidenceChecker): Omit<GradeResult, 'notices'> {
  const { rubric } = request;
  const graded = { ...request, answer };
  const criteria: CriterionResult[] = rubric.keyPoints.map((point) => {
    const judgement = output.judgements.find((item) => item.id === point.id);
    const verified =
      judgement !== undefined && judgement.score > 0 && isVerbatim(judgement.evidence, answer) && checker.supportsPoint(graded, point.id, judgement.evidence);
    const score = verified ? round2(judgement.score) : 0;
    return {
      id: point.id,
      point: point.text,
      weight: point.weight,
      mustHave: point.mustHave,
      score,
      met: score >= POINT_MET,
      evidence: verified ? judgement.evidence : null,
      notes: point.notes,
    };
  });
  const misconceptions: MisconceptionResult[] = [];
  const seen = new Set<number>();
  for (const found of output.misconceptions) {
    const item = rubric.misconceptions[found.index];
    if (!item || seen.has(found.index) || !isVerbatim(found.evidence, answer) || checker.isInstruction(found.evidence)) continue;
    seen.add(found.index);
    misconceptions.push({ text: item.text, penalty: item.penalty, ...(item.correction ? { correction: item.correction } : {}), evidence: found.evidence });
  }
  const totalWeight = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  const covered = totalWeight > 0 ? criteria.reduce((sum, criterion) => sum + criterion.weight * criterion.score, 0) / totalWeight : 0;
  let score = calibrate(covered) - misconceptions.reduce((sum, item) => sum + item.penalty, 0);
  const caps: ScoreCap[] = [];
  score = applyRubricCaps(score, criteria, request.maxScore, caps);
  const final = Math.round(Math.min(100, Math.max(0, score)));
  return { score: final, verdict: verdictFor(final), grader: 'llm', criteria, misconceptions, feedback: renderFeedback(criteria, misconceptions, caps) };
}

function rubricForPrompt(request: GradeRequest): string {
  const { rubric } = request;
  return JSON.stringify(
    {
      keyPoints: rubric.keyPoints.map((point) => ({ id: point.id, point: point.text, weight: point.weight, mustHave: point.mustHave, phrasings: point.match })),
      misconceptions: rubric.misconceptions.map((item, index) => ({ index, text: item.text })),
    },
    null,
    2,
  );
}

/**
 * LLM grading with the offline grader alongside: the model only judges which key points the answer
 * makes (with verbatim evidence); our code scores. Any failure answers with the offline result.
 */
export class LlmGrader implements Grader {
  private readonly cache = new Map<string, GradeOutput>();

  constructor(private readonly options: LlmGraderOptions) {}

  async grade(request: GradeRequest): Promise<GradeResult> {
    const offline = await this.options.offline.grade(request);
    const answer = request.answer.length > this.options.maxAnswerChars ? request.answer.slice(0, this.options.maxAnswerChars) : request.answer;
    const rubricJson = rubricForPrompt(request);
    const key = `${this.options.modelName}\u0000${sha256(request.question + '\u0000' + rubricJson)}\u0000${sha256(answer)}`;

    let output = this.cache.get(key);
    if (!output) {
      if (!this.options.budget.take(request.userId)) return this.fallback(offline, 'the daily LLM budget is used up');
      try {
        output = await this.ask(request, answer, rubricJson);
      } catch (error) {
        const reason = classifyFailure(error);
        // Only the classified reason and error class: messages can echo the answer or a key.
        this.options.logger.warn({ llm: 'grade', reason, errorName: error instanceof Error ? error.name : typeof error }, 'LLM grading failed; using the offline grade');
        return this.fallback(offline, reason);
      }
      this.cache.set(key, output);
    }

    const result = scoreJudgements(request, answer, output, this.options.offline);
    const notices = [...offline.notices];
    const gap = Math.abs(result.score - offline.score);
    if (gap > LOW_CONFIDENCE_GAP) {
      notices.push(`Low confidence: the LLM grader (${result.score}) and the offline grader (${offline.score}) disagree by more than ${LOW_CONFIDENCE_GAP} points; take this score as a rough guide.`);
      return { ...result, notices, confidence: 'low' };
    }
    if (gap > this.options.disagreement) {
      notices.push(`The LLM grader (${result.score}) and the offline grader (${offline.score}) disagree; treat this score with care.`);
    }
    return { ...result, notices };
  }

  private async ask(request: GradeRequest, answer: string, rubricJson: string): Promise<GradeOutput> {
    const values = { question: request.question, rubric: rubricJson, answer, nonce: nonce() };
    const { prompt, model, modelName, logger } = this.options;
    const call = await callStructured(model, gradeOutputSchema, 'grade', { system: fill(prompt.system, values), user: fill(prompt.user, values) });
    logCall(logger, 'grade', modelName, call);
    return call.value;
  }

  private fallback(offline: GradeResult, reason: string): GradeResult {
    return { ...offline, notices: [...offline.notices, `graded offline: ${reason}`] };
  }
}
