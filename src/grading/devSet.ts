import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Rubric } from '../core/ports/grader.js';
import { normalizeRubric } from '../knowledge/load.js';
import { rubricSchema } from '../knowledge/schema.js';

/** Human-labelled answers for measuring how well a grader agrees with people (tests/fixtures/grading-dev.yaml). */

export const DEV_ANSWER_KINDS = ['model', 'partial', 'misconception', 'off-topic', 'evasive', 'echo'] as const;
export type DevAnswerKind = (typeof DEV_ANSWER_KINDS)[number];

const devAnswerSchema = z.object({
  kind: z.enum(DEV_ANSWER_KINDS),
  /** The human grade, 0-100, given before the grader saw the answer. */
  label: z.number().min(0).max(100),
  /** Key point ids the answer makes. */
  covers: z.array(z.string()).default([]),
  /** Omitted for `model`: the rubric's model answer. */
  text: z.string().trim().min(1).optional(),
});

const devQuestionSchema = z.object({
  id: z.string().min(1),
  /** Where the snapshot came from: `knowledge/<file>@<version>`. */
  source: z.string().optional(),
  question: z.string().trim().min(1),
  rubric: rubricSchema,
  answers: z.array(devAnswerSchema).min(1),
});

const devSetSchema = z.object({ questions: z.array(devQuestionSchema).min(1) });

export interface DevAnswer {
  kind: DevAnswerKind;
  label: number;
  covers: string[];
  text: string;
}

export interface DevQuestion {
  id: string;
  source: string | undefined;
  question: string;
  rubric: Rubric;
  answers: DevAnswer[];
}

/** Rubric input (defaults filled by zod) to the grader's rubric, exactly as the knowledge loader does it. */
export const toRubric = normalizeRubric;

/** Reads and validates a dev-set file; throws with every problem listed when it is malformed. */
export function loadDevSet(path: string): DevQuestion[] {
  const parsed = devSetSchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path} is not a valid dev set:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  }
  return parsed.data.questions.map((question) => {
    const rubric = toRubric(question.rubric);
    return {
      id: question.id,
      source: question.source,
      question: question.question,
      rubric,
      answers: question.answers.map((answer) => ({ kind: answer.kind, label: answer.label, covers: answer.covers, text: answer.text ?? rubric.modelAnswer })),
    };
  });
}
