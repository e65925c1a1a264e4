import { join } from 'node:path';
import type { WordVectors } from '../../src/core/ports/embedder.js';
import type { GradeRequest, Rubric } from '../../src/core/ports/grader.js';
import { loadDevSet, type DevQuestion } from '../../src/grading/devSet.js';
import { DEFAULT_DEV_SET } from '../../src/grading/devEval.js';
import { openWordVectors } from '../../src/knowledge/wordVectors.js';
import { packageRoot } from '../../src/shared/paths.js';

/** Shared by the grading tests: the real word vectors (cache built once under data/cache) and the dev set. */

let vectors: Promise<WordVectors> | undefined;

export function testVectors(): Promise<WordVectors> {
  vectors ??= openWordVectors({ cacheDir: process.env.MLE_COACH_TEST_CACHE ?? join(packageRoot, 'data', 'cache'), notify: () => {} });
  return vectors;
}

let devSet: DevQuestion[] | undefined;

export function devQuestions(): DevQuestion[] {
  devSet ??= loadDevSet(DEFAULT_DEV_SET);
  return devSet;
}

export function devQuestion(id: string): DevQuestion {
  const found = devQuestions().find((question) => question.id === id);
  if (!found) throw new Error(`dev set has no question ${id}`);
  return found;
}

export function requestFor(question: { question: string; rubric: Rubric }, answer: string, extra: Partial<GradeRequest> = {}): GradeRequest {
  return { question: question.question, rubric: question.rubric, answer, ...extra };
}
