import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeText, splitSentences } from '../../src/grading/analyze.js';
import { mustHaveCap, MUST_HAVE_CAP } from '../../src/grading/calibration.js';
import { evaluateDevSet, formatDevReport, type DevReport } from '../../src/grading/devEval.js';
import { loadDevSet, type DevQuestion } from '../../src/grading/devSet.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { packageRoot } from '../../src/shared/paths.js';
import { requestFor, testVectors } from './grading-helpers.js';

/**
 * Held-out answers written by an outside reviewer (tests/fixtures/grading-heldout.yaml). Measured
 * before the QA fixes: r 0.880, MAE 12.9; after: r 0.944, MAE 11.2. Not a tuning target: the floor
 * only catches regressions.
 */
const HELDOUT = join(packageRoot, 'tests', 'fixtures', 'grading-heldout.yaml');
let grader: OfflineGrader;
let report: DevReport;
let questions: DevQuestion[];
const question = (id: string) => questions.find((q) => q.id === id) as DevQuestion;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
  questions = loadDevSet(HELDOUT);
  report = await evaluateDevSet({ grader, path: HELDOUT });
});

describe('held-out agreement', () => {
  it('GIVEN answers nobody here wrote WHEN graded THEN agreement stays above the measured floor', () => {
    expect(report.grader.pearson, formatDevReport(report)).toBeGreaterThanOrEqual(0.92);
    expect(report.grader.mae, formatDevReport(report)).toBeLessThanOrEqual(12.5);
  });
});

describe('QA fixes', () => {
  it('GIVEN a comma list of keywords with no verb WHEN graded THEN it earns little', () => {
    const q = question('ab-test-peeking-early-stop');
    const result = grader.gradeNow(requestFor(q, 'peeking, false positive rate, inflated, random walk, fixed horizon, sample size, sequential testing, alpha spending, mSPRT, guardrails.'));
    expect(result.score).toBeLessThanOrEqual(20);
    expect(analyzeText('Fixes: for bias, a more flexible model, better features; for variance, more data, stronger regularisation.').tokens.some((t) => t.listed)).toBe(false);
  });

  it('GIVEN a sentence that negates a misconception (doesn\'t / does not / won\'t) WHEN graded THEN no penalty', () => {
    const q = question('bagging-versus-boosting');
    const base = 'Bagging trains models independently on bootstrap samples and averages them, reducing variance; boosting trains them sequentially on the residuals, reducing bias.';
    for (const tail of ['Adding more trees to a random forest doesn\'t overfit.', 'Adding more trees to a random forest does not overfit.', 'A random forest won\'t overfit as you add trees.']) {
      expect(grader.gradeNow(requestFor(q, `${base} ${tail}`)).misconceptions, tail).toEqual([]);
    }
  });

  it('GIVEN a misconception sentence between two good ones WHEN graded THEN the others keep their credit', () => {
    const q = question('roc-auc-imbalance');
    const first = 'ROC AUC is the probability that a random fraud gets scored above a random legit transaction.';
    const rest = 'With 0.5% fraud, false positives barely move the FPR so AUC looks great while precision is poor; I\'d use the PR curve and average precision.';
    const clean = grader.gradeNow(requestFor(q, `${first} ${rest}`));
    const mixed = grader.gradeNow(requestFor(q, `${first} An AUC of 0.97 means the model is right 97% of the time. ${rest}`));
    expect(mixed.misconceptions).toHaveLength(1);
    expect(mixed.criteria.map((c) => c.score)).toEqual(clean.criteria.map((c) => c.score));
  });

  it('GIVEN code with {} and O(n) WHEN graded THEN the dict reads as a hash map and the complexity as linear', () => {
    const q = question('two-sum-hash-map-approach');
    const code = 'def two_sum(nums, target):\n    seen = {}  # value -> index\n    for i, x in enumerate(nums):\n        if target - x in seen:\n            return [seen[target - x], i]\n        seen[x] = i\n    return None\n# O(n) time, O(n) space';
    expect(splitSentences(code)).toHaveLength(1);
    const result = grader.gradeNow(requestFor(q, code));
    expect(result.criteria.find((c) => c.id === 'kp2')?.met).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(40);
  });

  it('GIVEN unmet points WHEN graded THEN untouched ones quote no evidence', () => {
    const q = question('roc-auc-imbalance');
    const result = grader.gradeNow(requestFor(q, 'AUC measures how well the model ranks a fraud case above a non-fraud one, across all thresholds.'));
    for (const criterion of result.criteria) if (criterion.score < 0.25) expect(criterion.evidence, criterion.id).toBeNull();
  });

  it('GIVEN a point stating specific numbers WHEN the answer has none of them THEN it is not fully credited', () => {
    const q = question('bayes-rule-rare-disease-test');
    const kp3 = q.rubric.keyPoints.find((point) => point.id === 'kp3');
    expect(kp3?.text).toMatch(/\d/);
    const result = grader.gradeNow(requestFor(q, 'The answer is 90 divided by 90 plus the healthy positives, which is low.'));
    const without = grader.gradeNow(requestFor(q, 'The answer is the true positives divided by all positives, which is low.'));
    expect(without.criteria.find((c) => c.id === 'kp3')?.score ?? 1).toBeLessThanOrEqual(0.6);
    expect(result.criteria.find((c) => c.id === 'kp3')?.score ?? 0).toBeGreaterThanOrEqual(without.criteria.find((c) => c.id === 'kp3')?.score ?? 0);
  });

  it('GIVEN missing must-haves WHEN capped THEN a half-made one raises the cap, an absent one does not', () => {
    expect(mustHaveCap([])).toBe(100);
    expect(mustHaveCap([0])).toBe(MUST_HAVE_CAP);
    expect(mustHaveCap([0.45, 0.1])).toBe(MUST_HAVE_CAP);
    expect(mustHaveCap([0.45])).toBeGreaterThan(MUST_HAVE_CAP);
    expect(mustHaveCap([0.49])).toBeLessThanOrEqual(75);
  });
});
