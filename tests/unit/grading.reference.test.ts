import { beforeAll, describe, expect, it } from 'vitest';
import { rubricSchema } from '../../src/knowledge/schema.js';
import { OfflineGrader } from '../../src/grading/offlineGrader.js';
import { rubricFromReference } from '../../src/grading/reference.js';
import { UserFacingError } from '../../src/shared/result.js';
import { devQuestions, testVectors } from './grading-helpers.js';

let grader: OfflineGrader;

beforeAll(async () => {
  grader = new OfflineGrader(await testVectors());
});

const QUESTION = 'Why do we standardise features before k-nearest neighbours?';
const REFERENCE =
  'kNN compares raw distances, so a feature measured in large units such as income dominates one measured in small units such as age. ' +
  'Standardising puts every feature on a comparable scale, so each contributes fairly to the distance; fit the scaler on the training data only, because fitting it on all data leaks test information.';

describe('rubricFromReference', () => {
  it('GIVEN a reference answer WHEN a rubric is derived THEN it has equal-weight points from its clauses, no misconceptions, and passes the rubric schema', () => {
    const rubric = rubricFromReference(QUESTION, REFERENCE);
    expect(rubric.keyPoints.length).toBeGreaterThanOrEqual(2);
    expect(rubric.keyPoints.every((point) => point.weight === 1 && !point.mustHave && point.match.length === 0)).toBe(true);
    expect(rubric.keyPoints.map((point) => point.id)).toEqual(rubric.keyPoints.map((_, index) => `kp${index + 1}`));
    expect(rubric.misconceptions).toEqual([]);
    expect(rubric.modelAnswer).toBe(REFERENCE);
    for (const point of rubric.keyPoints) expect(REFERENCE).toContain(point.text);
    expect(rubricSchema.safeParse(rubric).success).toBe(true);
  });

  it('GIVEN a long reference WHEN a rubric is derived THEN it never has more than 14 points', () => {
    const long = Array.from({ length: 30 }, (_, index) => `Fact number ${index} says that widget ${index} improves throughput of pipeline ${index} considerably.`).join(' ');
    const rubric = rubricFromReference('Tell me about widgets.', long);
    expect(rubric.keyPoints.length).toBeLessThanOrEqual(14);
    expect(rubricSchema.safeParse(rubric).success).toBe(true);
  });

  it('GIVEN a reference that only repeats the question WHEN a rubric is derived THEN a user-facing error says there is nothing to grade against', () => {
    expect(() => rubricFromReference(QUESTION, 'We standardise features before k-nearest neighbours.')).toThrow(UserFacingError);
  });

  it('GIVEN a derived rubric WHEN the reference, a partial, an evasive and an echoed answer are graded THEN they are ordered as a person would', () => {
    const rubric = rubricFromReference(QUESTION, REFERENCE);
    const grade = (answer: string) => grader.gradeNow({ question: QUESTION, answer, rubric }).score;
    const full = grade(REFERENCE);
    const partial = grade('Without scaling, a feature with big units like income dominates the distance over small-unit features like age.');
    expect(full).toBeGreaterThanOrEqual(85);
    expect(partial).toBeGreaterThan(5);
    expect(partial).toBeLessThan(full);
    expect(grade("I'm not sure, it depends.")).toBeLessThanOrEqual(5);
    expect(grade(QUESTION)).toBeLessThanOrEqual(5);
  });

  it('GIVEN the dev-set model answers as references WHEN each is graded against its own derived rubric THEN it scores at least 85', () => {
    for (const question of devQuestions()) {
      const rubric = rubricFromReference(question.question, question.rubric.modelAnswer);
      expect(grader.gradeNow({ question: question.question, answer: question.rubric.modelAnswer, rubric }).score, question.id).toBeGreaterThanOrEqual(85);
    }
  });
});
