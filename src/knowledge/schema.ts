import { z } from 'zod';
import { AREAS, DESIGN_PHASES, LEVELS } from './areas.js';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "roc-auc"');
const text = z.string().trim().min(1, 'must not be empty');

/** Front-matter of a knowledge note (knowledge/notes/<area>/<id>.md). */
export const noteFrontMatterSchema = z.object({
  id: slug,
  title: text,
  area: z.enum(AREAS),
  tags: z.array(slug).default([]),
  level: z.enum(LEVELS),
});
export type NoteFrontMatter = z.infer<typeof noteFrontMatterSchema>;

export const keyPointSchema = z.object({
  /** Stable within its question; defaults to kp1, kp2, ... in list order. */
  id: slug.optional(),
  /** The point as a checkable statement; shown in feedback. */
  text,
  weight: z.number().positive().max(10).default(1),
  /** A must-have missing caps the score (the answer cannot be "good" without it). */
  mustHave: z.boolean().default(false),
  /** Other phrasings that also earn the point (synonyms, formulas, common wording). */
  match: z.array(text).default([]),
  /** Ids of the knowledge notes that back this point (feedback points there). */
  notes: z.array(slug).default([]),
  /** System-design questions: the phase this point belongs to. */
  phase: z.enum(DESIGN_PHASES).optional(),
});
export type KeyPointInput = z.infer<typeof keyPointSchema>;

export const misconceptionSchema = z.object({
  text,
  match: z.array(text).default([]),
  /** Points (out of 100) taken off when the answer asserts it. */
  penalty: z.number().min(0).max(100).default(15),
  /** What is actually true; shown when the misconception is detected. */
  correction: text.optional(),
});
export type MisconceptionInput = z.infer<typeof misconceptionSchema>;

export const phaseSchema = z.object({
  phase: z.enum(DESIGN_PHASES),
  /** What the interviewer asks at the start of this phase. */
  prompt: text,
});

export const rubricSchema = z.object({
  keyPoints: z.array(keyPointSchema).min(1).max(14),
  misconceptions: z.array(misconceptionSchema).max(5).default([]),
  modelAnswer: text,
  hints: z.array(text).max(5).default([]),
  followUps: z.array(text).max(5).default([]),
});
export type RubricInput = z.infer<typeof rubricSchema>;

export const questionSchema = z.object({
  id: slug,
  area: z.enum(AREAS),
  level: z.enum(LEVELS),
  tags: z.array(slug).default([]),
  question: text,
  rubric: rubricSchema,
  /** System-design questions are asked phase by phase, in this order. */
  phases: z.array(phaseSchema).optional(),
});
export type QuestionInput = z.infer<typeof questionSchema>;

export const questionFileSchema = z.object({
  questions: z.array(questionSchema),
});
