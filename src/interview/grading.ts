import type { GradeResult, Grader, KeyPoint, Rubric } from '../core/ports/grader.js';
import type { Retriever } from '../core/ports/retriever.js';
import type { Question } from '../knowledge/types.js';
import type { PassagePointer } from './render.js';

/** The part of a rubric that one system-design phase is graded against. */
export function phaseRubric(question: Question, phase: string): Rubric {
  return { ...question.rubric, keyPoints: question.rubric.keyPoints.filter((point) => point.phase === phase) };
}

/** Only the given key points (a follow-up aimed at what was missed). */
export function pointsRubric(question: Question, pointIds: readonly string[]): Rubric {
  const keyPoints = question.rubric.keyPoints.filter((point) => pointIds.includes(point.id));
  return { ...question.rubric, keyPoints: keyPoints.length ? keyPoints : question.rubric.keyPoints };
}

/** Finds, for each missed point, the knowledge passage that covers it. */
export async function pointersFor(retriever: Retriever, points: readonly KeyPoint[]): Promise<PassagePointer[]> {
  const out: PassagePointer[] = [];
  for (const point of points) {
    const passages = await retriever.search(point.text, point.notes.length ? { k: 1, noteIds: point.notes } : { k: 1 });
    const passage = passages[0];
    if (passage) out.push({ pointId: point.id, passage });
  }
  return out;
}

export async function gradeAgainst(grader: Grader, question: Question, rubric: Rubric, answer: string, maxScore: number, userId: string): Promise<GradeResult> {
  return grader.grade({ question: question.question, answer, rubric, maxScore, questionId: question.id, userId });
}


/**
 * One follow-up aimed at the biggest gap: the heaviest missed point (must-haves first), to be
 * explained in the candidate's own words and graded against that point. With nothing missed, the
 * rubric's first follow-up is offered as an unscored stretch question.
 */
export function chooseFollowUp(question: Question, result: GradeResult): { text: string; pointIds: string[] } | undefined {
  const missed = result.criteria
    .filter((criterion) => !criterion.met)
    .sort((a, b) => Number(b.mustHave) - Number(a.mustHave) || b.weight - a.weight || a.score - b.score);
  const gap = missed[0];
  if (!gap) {
    const stretch = question.rubric.followUps[0];
    return stretch ? { text: stretch, pointIds: [] } : undefined;
  }
  return { text: `Let's close the biggest gap. In your own words, why does this hold, and how would it change what you do in this scenario? "${gap.point.replace(/\.$/, '')}"`, pointIds: [gap.id] };
}
