import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateDevSet, formatDevReport, type DevReport } from '../../src/grading/devEval.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { rubricFromReference } from '../../src/grading/reference.js';
import { packageRoot } from '../../src/shared/paths.js';
import { testVectors } from './grading-helpers.js';

/**
 * Reference mode (rubric derived from one reference answer) on short questions in the style of
 * public short-answer sets (tests/fixtures/grading-reference.yaml), labelled before grading.
 * Measured before the whole-answer alignment and gentler calibration: r 0.652, MAE 28.5 (dev set in
 * reference mode: r 0.823, MAE 18.1); after: r 0.761, MAE 16.5 (dev set: r 0.911, MAE 10.1).
 * The floors only catch regressions.
 */
const FIXTURE = join(packageRoot, 'tests', 'fixtures', 'grading-reference.yaml');
let grader: OfflineGrader;
let fixture: DevReport;
let dev: DevReport;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
  fixture = await evaluateDevSet({ grader, path: FIXTURE, referenceOnly: true });
  dev = await evaluateDevSet({ grader, referenceOnly: true });
});

describe('reference-mode agreement', () => {
  it('GIVEN short answers graded against a derived rubric WHEN compared with the labels THEN agreement stays above the measured floor', () => {
    expect(fixture.grader.pearson, formatDevReport(fixture)).toBeGreaterThanOrEqual(0.73);
    expect(fixture.grader.mae, formatDevReport(fixture)).toBeLessThanOrEqual(18.5);
  });

  it('GIVEN the dev set graded against rubrics derived from its model answers WHEN compared with the labels THEN agreement stays above the measured floor', () => {
    expect(dev.grader.pearson, formatDevReport(dev)).toBeGreaterThanOrEqual(0.89);
    expect(dev.grader.mae, formatDevReport(dev)).toBeLessThanOrEqual(11.5);
    // Partial answers get partial credit, not near zero.
    expect(dev.byKind.partial?.score ?? 0, formatDevReport(dev)).toBeGreaterThanOrEqual(40);
  });

  it('GIVEN a terse correct answer and a correct paraphrase WHEN graded against a derived rubric THEN both earn most of the marks, above a half answer and an off-topic one', () => {
    const question = 'What is the difference between a stack and a queue?';
    const rubric = rubricFromReference(question, 'A stack is last-in first-out (LIFO), so the most recently added element is removed first. A queue is first-in first-out (FIFO), so elements are removed in the order they were added.');
    const grade = (answer: string) => grader.gradeNow({ question, answer, rubric }).score;
    const terse = grade('stack is LIFO, queue is FIFO');
    const paraphrase = grade('Stacks remove the newest item first (LIFO) while queues remove the oldest item first (FIFO).');
    const half = grade('With a stack the last thing you put in comes out first.');
    expect(terse).toBeGreaterThanOrEqual(60);
    expect(paraphrase).toBeGreaterThanOrEqual(75);
    expect(half).toBeLessThan(paraphrase);
    expect(grade('Both are stored in memory and can hold any type of data like integers or strings.')).toBeLessThanOrEqual(5);
  });
});
