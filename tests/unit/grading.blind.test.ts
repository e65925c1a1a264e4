import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateDevSet, formatDevReport, type DevReport } from '../../src/grading/devEval.js';
import { loadDevSet, type DevQuestion } from '../../src/grading/devSet.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { packageRoot } from '../../src/shared/paths.js';
import { requestFor, testVectors } from './grading-helpers.js';

/**
 * Blind set (tests/fixtures/grading-blind.yaml): ten random questions none of the other fixtures use,
 * six answers each, labelled before grading. Measured: rubric r 0.902 / MAE 12.4 before the
 * negated-subject fix, 0.912 / 12.3 after; reference mode 0.884 / 11.6. Not a tuning target: the
 * floors only catch regressions.
 */
const BLIND = join(packageRoot, 'tests', 'fixtures', 'grading-blind.yaml');
let grader: OfflineGrader;
let questions: DevQuestion[];
let rubricMode: DevReport;
let referenceMode: DevReport;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
  questions = loadDevSet(BLIND);
  rubricMode = await evaluateDevSet({ grader, path: BLIND });
  referenceMode = await evaluateDevSet({ grader, path: BLIND, referenceOnly: true });
});

describe('blind agreement', () => {
  it('GIVEN blind answers WHEN graded against the rubric THEN agreement stays above the measured floor', () => {
    expect(rubricMode.grader.pearson, formatDevReport(rubricMode)).toBeGreaterThanOrEqual(0.88);
    expect(rubricMode.grader.mae, formatDevReport(rubricMode)).toBeLessThanOrEqual(14);
  });

  it('GIVEN blind answers WHEN graded against the model answer only THEN agreement stays above the measured floor', () => {
    expect(referenceMode.grader.pearson, formatDevReport(referenceMode)).toBeGreaterThanOrEqual(0.85);
    expect(referenceMode.grader.mae, formatDevReport(referenceMode)).toBeLessThanOrEqual(13.5);
  });
});

describe('negation scope in a misconception phrasing', () => {
  it('GIVEN a phrasing whose "no" reaches its subject WHEN the answer also names the subject plainly THEN the misconception still counts', () => {
    const q = questions.find((candidate) => candidate.id === 'lstm-gates-long-dependencies') as DevQuestion;
    expect(q.rubric.misconceptions[0]?.match).toContain('no clipping needed for lstm');
    const answer = 'RNNs have vanishing and exploding gradients because of the repeated multiplication through time. The LSTM uses gates to control the memory, and that solves both problems completely, so with an LSTM you don\'t need gradient clipping anymore.';
    expect(grader.gradeNow(requestFor(q, answer)).misconceptions).toHaveLength(1);
    // A sentence that really denies the claim is still no misconception.
    const denied = 'RNNs have vanishing and exploding gradients. The LSTM gates fix the vanishing part, but an LSTM still needs gradient clipping for exploding gradients.';
    expect(grader.gradeNow(requestFor(q, denied)).misconceptions).toEqual([]);
  });
});
