import { z } from 'zod';
import type { GradeResult, Grader, Rubric } from '../core/ports/grader.js';
import { normalizeRubric } from '../knowledge/load.js';
import { rubricSchema } from '../knowledge/schema.js';
import type { Question } from '../knowledge/types.js';

const idSchema = z.union([z.string(), z.number()]);

export const gradeLineSchema = z
  .object({
    id: idSchema.optional(),
    question: z.string().optional(),
    answer: z.string({ error: 'answer is required (a string)' }),
    questionId: z.string().optional(),
    rubric: rubricSchema.optional(),
    reference: z.string().trim().min(1).optional(),
  })
  .refine((line) => [line.questionId, line.rubric, line.reference].filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of questionId, rubric or reference',
  });

export interface GradeLineOutput {
  id: string | number | null;
  score: number;
  verdict: string;
  grader: 'offline' | 'llm';
  criteria: { point: string; weight: number; met: boolean; evidence: string | null }[];
  misconceptions: { text: string; penalty: number; evidence: string }[];
  feedback: string;
  notices?: string[];
  confidence?: 'low';
}

export type GradeLineResult = GradeLineOutput | { id: string | number | null; error: string };

export interface GradeLineDeps {
  grader: Grader;
  question(id: string): Question | undefined;
  rubricFromReference(question: string, reference: string): Rubric;
}

function toOutput(id: string | number | null, result: GradeResult): GradeLineOutput {
  return {
    id,
    score: result.score,
    verdict: result.verdict,
    grader: result.grader,
    criteria: result.criteria.map((criterion) => ({ point: criterion.point, weight: criterion.weight, met: criterion.met, evidence: criterion.evidence })),
    misconceptions: result.misconceptions.map((item) => ({ text: item.text, penalty: item.penalty, evidence: item.evidence })),
    feedback: result.feedback,
    ...(result.notices.length ? { notices: result.notices } : {}),
    ...(result.confidence ? { confidence: result.confidence } : {}),
  };
}

/** Grades one JSON line of the `grade` contract; never throws for bad input. */
export async function gradeLine(line: string, deps: GradeLineDeps, lineNumber: number): Promise<GradeLineResult> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { id: null, error: `line ${lineNumber}: not valid JSON` };
  }
  const rawId = (json as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const parsed = gradeLineSchema.safeParse(json);
  if (!parsed.success) {
    return { id, error: `line ${lineNumber}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}` };
  }
  const input = parsed.data;
  let rubric: Rubric;
  let questionText = input.question?.trim() ? input.question : undefined;
  if (input.questionId !== undefined) {
    const question = deps.question(input.questionId);
    if (!question) return { id, error: `line ${lineNumber}: questionId "${input.questionId}" is not in the question bank` };
    rubric = question.rubric;
    questionText ??= question.question;
  } else if (input.rubric) {
    rubric = normalizeRubric(input.rubric);
  } else {
    if (!questionText) return { id, error: `line ${lineNumber}: question is required with reference` };
    rubric = deps.rubricFromReference(questionText, input.reference ?? '');
  }
  if (!questionText) return { id, error: `line ${lineNumber}: question is required with an inline rubric` };
  const result = await deps.grader.grade({ question: questionText, answer: input.answer, rubric, ...(input.questionId ? { questionId: input.questionId } : {}) });
  return toOutput(id, result);
}
