import type { Grader } from '../core/ports/grader.js';
import type { Question } from '../knowledge/types.js';

/** Answers any rubric should score near zero. */
export const EVASIVE_ANSWER = "I'm not sure, it depends.";

export interface SelfCheckReport {
  questionId: string;
  /** Score of the rubric's own model answer (should be >= 85). */
  modelAnswer: number;
  /** Misconceptions detected in the model answer (should be none). */
  modelAnswerMisconceptions: string[];
  /** Each misconception stated alone (should score <= 30 and be detected). */
  misconceptions: { text: string; score: number; detected: boolean }[];
  /** An evasive answer (should score <= 5). */
  evasive: number;
  /** The question repeated back as the answer (should score <= 5). */
  echo: number;
}

/**
 * Grades a question's rubric against itself: its model answer, each misconception alone, an
 * evasive answer and the question echoed back. Content tests use it to catch rubrics the grader
 * cannot work with (a model answer that misses its own points, a misconception that never fires).
 */
export async function selfCheck(question: Question, grader: Grader): Promise<SelfCheckReport> {
  const grade = (answer: string) => grader.grade({ question: question.question, answer, rubric: question.rubric, questionId: question.id });
  const model = await grade(question.rubric.modelAnswer);
  const misconceptions: SelfCheckReport['misconceptions'] = [];
  for (const item of question.rubric.misconceptions) {
    const result = await grade(item.text);
    misconceptions.push({ text: item.text, score: result.score, detected: result.misconceptions.some((found) => found.text === item.text) });
  }
  const evasive = await grade(EVASIVE_ANSWER);
  const echo = await grade(question.question);
  return {
    questionId: question.id,
    modelAnswer: model.score,
    modelAnswerMisconceptions: model.misconceptions.map((item) => item.text),
    misconceptions,
    evasive: evasive.score,
    echo: echo.score,
  };
}
