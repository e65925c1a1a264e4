import { z } from 'zod';

const dateSchema = z.coerce.date();

export const questionResultSchema = z.object({
  questionId: z.string(),
  area: z.string(),
  score: z.number(),
  skipped: z.boolean(),
  /** Ids of key points the answer missed (drives the summary's "study next"). */
  missed: z.array(z.string()).default([]),
});
export type QuestionResult = z.infer<typeof questionResultSchema>;

export const phaseResultSchema = z.object({
  phase: z.string(),
  answer: z.string(),
  score: z.number(),
});

/**
 * An interview's whole state. It is saved after every change, so a restart resumes at the
 * same question, phase and hint tier.
 */
export const interviewSessionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(['interview', 'daily']).default('interview'),
  track: z.string(),
  level: z.enum(['easy', 'medium', 'hard']),
  questionIds: z.array(z.string()),
  /** Index into questionIds of the current question. */
  index: z.number().int().min(0),
  /** System-design questions: which phase is being asked. */
  phaseIndex: z.number().int().min(0).default(0),
  phaseAnswers: z.array(phaseResultSchema).default([]),
  hintsUsed: z.number().int().min(0).default(0),
  status: z.enum(['awaiting-answer', 'awaiting-follow-up', 'finished', 'expired']),
  /** The follow-up that was asked and the key points it targets. */
  followUp: z.object({ questionId: z.string(), text: z.string(), pointIds: z.array(z.string()) }).optional(),
  /** Parts of an answer sent with a leading `...`, waiting for the final part. */
  pendingAnswer: z.string().default(''),
  conversation: z.object({ platform: z.string(), channelId: z.string(), threadId: z.string().optional(), isDirect: z.boolean() }),
  results: z.array(questionResultSchema).default([]),
  /** Questions brought back by the review schedule (labelled as reviews). */
  reviews: z.array(z.string()).default([]),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});
export type InterviewSession = z.infer<typeof interviewSessionSchema>;

export function currentQuestionId(session: InterviewSession): string | undefined {
  return session.questionIds[session.index];
}
