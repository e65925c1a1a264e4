import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/core/ports/grader.js';
import { contradictsFormula, deniesPoint, isFragment, isListLike, reversesPoint } from '../../src/grading/claimCheck.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { Question } from '../../src/knowledge/types.js';
import { packageRoot } from '../../src/shared/paths.js';
import { requestFor, testVectors } from './grading-helpers.js';

let grader: OfflineGrader;
let bank: Map<string, Question>;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
  const knowledge = loadKnowledge(join(packageRoot, 'knowledge')).knowledge;
  bank = new Map(knowledge.questions.map((question) => [question.id, question]));
});

function grade(questionId: string, answer: string): GradeResult {
  const question = bank.get(questionId);
  if (!question) throw new Error(`no question ${questionId}`);
  return grader.gradeNow(requestFor(question, answer));
}

describe('grading judges claims, not words', () => {
  it('GIVEN bagging and boosting with their effects exchanged THEN the points are not met and the swap is named', () => {
    const swapped = grade('bagging-versus-boosting', 'Bagging mainly reduces bias and boosting mainly reduces variance. Bagging trains its models one after another on the errors, boosting trains them in parallel on bootstrap samples.');
    const right = grade('bagging-versus-boosting', 'Bagging mainly reduces variance and boosting mainly reduces bias. Bagging trains its models in parallel on bootstrap samples, boosting trains them one after another on the errors.');
    expect(swapped.score).toBeLessThanOrEqual(30);
    expect(right.score - swapped.score).toBeGreaterThanOrEqual(40);
    expect(swapped.misconceptions.some((item) => /boosting|bagging/i.test(item.correction ?? ''))).toBe(true);
  });

  it('GIVEN precision and recall defined by negation THEN the denied definitions earn nothing', () => {
    const negated = grade('precision-vs-recall-when-to-prioritise', 'Precision is not TP/(TP+FP), and recall is not TP/(TP+FN).');
    const stated = grade('precision-vs-recall-when-to-prioritise', 'Precision is TP/(TP+FP), and recall is TP/(TP+FN).');
    expect(negated.score).toBeLessThan(stated.score);
    expect(negated.criteria.filter((criterion) => criterion.met).map((criterion) => criterion.evidence)).not.toContainEqual(expect.stringMatching(/not TP/));
  });

  it('GIVEN a bare list of the right terms one per line THEN it earns recognition credit only', () => {
    const list = grade('bagging-versus-boosting', 'bootstrap samples\nparallel training\nvariance reduction\nsequential learners\nbias reduction\nresiduals');
    expect(list.score).toBeLessThanOrEqual(30);
  });

  it('GIVEN term fragments or explaining lines THEN only the fragments count as a list', () => {
    expect(isListLike('bootstrap\nvariance\nsequential learners\nresiduals')).toBe(true);
    expect(isListLike('- bagging averages models trained in parallel, which cuts variance\n- boosting fits each model to the errors of the last so it reduces bias\n- random forests add feature subsampling')).toBe(false);
    expect(isFragment('precision = TP/(TP+FP)')).toBe(false);
  });

  it('GIVEN a direction reversed THEN the point is reversed; GIVEN the same direction in other words THEN it is not', () => {
    expect(reversesPoint(['bagging reduces variance'], 'Bagging increases the variance of the ensemble.')).toBe(true);
    expect(reversesPoint(['bagging reduces variance'], 'Bagging lowers the variance of the ensemble.')).toBe(false);
    expect(reversesPoint(['dropout is applied during training only'], 'Dropout is applied at inference time, not while training.')).toBe(true);
  });

  it('GIVEN a denial that governs the point THEN it denies it; GIVEN a point that is itself negative THEN an answer in the negative agrees', () => {
    expect(deniesPoint(['precision is TP/(TP+FP)'], 'Precision is not TP/(TP+FP).')).toBe(true);
    expect(deniesPoint(['assignment does not copy the object'], "assignment doesn't copy the object")).toBe(false);
  });

  it('GIVEN a formula with its terms exchanged THEN it contradicts the point; GIVEN the same formula spaced differently THEN it does not', () => {
    expect(contradictsFormula(['precision is TP/(TP+FP)'], 'precision is TP/(TP+FN)')).toBe(true);
    expect(contradictsFormula(['precision is TP/(TP+FP)'], 'precision = tp / (tp + fp)')).toBe(false);
  });
});
