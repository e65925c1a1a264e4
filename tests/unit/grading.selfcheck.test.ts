import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../src/knowledge/types.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { selfCheck } from '../../src/grading/selfCheck.js';
import { devQuestion, testVectors } from './grading-helpers.js';

let grader: OfflineGrader;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
});

function asQuestion(id: string): Question {
  const dev = devQuestion(id);
  return { id: dev.id, area: 'evaluation-metrics', level: 'medium', tags: [], question: dev.question, rubric: dev.rubric, phases: [], path: 'questions/test.yaml', version: 'test' };
}

describe('selfCheck', () => {
  it('GIVEN a sound question WHEN self-checked THEN the model answer is excellent, each misconception is detected and low, evasion and echo score near zero', async () => {
    const report = await selfCheck(asQuestion('roc-auc-imbalance'), grader);
    expect(report.questionId).toBe('roc-auc-imbalance');
    expect(report.modelAnswer).toBeGreaterThanOrEqual(85);
    expect(report.modelAnswerMisconceptions).toEqual([]);
    expect(report.misconceptions).toHaveLength(1);
    for (const item of report.misconceptions) {
      expect(item.detected).toBe(true);
      expect(item.score).toBeLessThanOrEqual(30);
    }
    expect(report.evasive).toBeLessThanOrEqual(5);
    expect(report.echo).toBeLessThanOrEqual(5);
  });

  it('GIVEN a rubric whose model answer misses its own points WHEN self-checked THEN the low model score shows it', async () => {
    const broken = asQuestion('roc-auc-imbalance');
    broken.rubric = { ...broken.rubric, modelAnswer: 'It is good news, I would ship it.' };
    const report = await selfCheck(broken, grader);
    expect(report.modelAnswer).toBeLessThan(85);
  });
});
