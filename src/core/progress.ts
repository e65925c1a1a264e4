import { addDays, isoWeek, localDay } from './calendar.js';
import type { AnswerRecord } from './ports/store.js';

export { localDay };

export interface AreaMastery {
  area: string;
  /** 0-100: recency-weighted mean of the latest score per question in the area. */
  mastery: number;
  answered: number;
}

export interface ProgressReport {
  userId: string;
  areas: AreaMastery[];
  weakest: AreaMastery[];
  dueReviews: number;
  recent: { questionId: string; area: string; score: number; at: Date }[];
  /** Daily average score, oldest first, for the chart. */
  timeline: { day: string; score: number }[];
  streakDays: number;
  totalAnswered: number;
}

/**
 * Consecutive active days ending today (or yesterday, if today has no activity yet), in the
 * user's timezone. One missed day per ISO week is forgiven (grace day).
 */
export function streakDays(activeDays: ReadonlySet<string>, today: string): number {
  // Today does not break the streak before the user has had a chance to practise.
  let day = activeDays.has(today) ? today : addDays(today, -1);
  let streak = 0;
  const graceUsed = new Set<string>();
  for (let guard = 0; guard < 3660; guard += 1) {
    if (activeDays.has(day)) {
      streak += 1;
    } else {
      // One missed day per ISO week is forgiven, if the streak goes on before it.
      const week = isoWeek(day);
      if (graceUsed.has(week) || !activeDays.has(addDays(day, -1))) break;
      graceUsed.add(week);
    }
    day = addDays(day, -1);
  }
  return streak;
}

const counted = (answer: AnswerRecord) => !answer.skipped && answer.source !== 'follow-up';

export function buildProgress(userId: string, answers: readonly AnswerRecord[], dueReviews: number, timeZone: string, now: Date): ProgressReport {
  const graded = answers.filter(counted).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const latestPerQuestion = new Map<string, AnswerRecord>();
  for (const answer of graded) latestPerQuestion.set(answer.questionId, answer);
  const byArea = new Map<string, AnswerRecord[]>();
  for (const answer of latestPerQuestion.values()) byArea.set(answer.area, [...(byArea.get(answer.area) ?? []), answer]);
  const areas: AreaMastery[] = [...byArea.entries()]
    .map(([area, list]) => {
      // Recent answers count more: a weight that halves every 30 days.
      let weighted = 0;
      let weights = 0;
      for (const answer of list) {
        const ageDays = Math.max(0, (now.getTime() - answer.createdAt.getTime()) / 86_400_000);
        const weight = Math.pow(0.5, ageDays / 30);
        weighted += answer.score * weight;
        weights += weight;
      }
      return { area, mastery: Math.round(weights > 0 ? weighted / weights : 0), answered: list.length };
    })
    .sort((a, b) => b.mastery - a.mastery || a.area.localeCompare(b.area));
  const weakest = [...areas].sort((a, b) => a.mastery - b.mastery).slice(0, 3);
  const perDay = new Map<string, number[]>();
  for (const answer of graded) {
    const day = localDay(answer.createdAt, timeZone);
    perDay.set(day, [...(perDay.get(day) ?? []), answer.score]);
  }
  const timeline = [...perDay.entries()].map(([day, scores]) => ({ day, score: Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) }));
  const activeDays = new Set(answers.filter((answer) => !answer.skipped).map((answer) => localDay(answer.createdAt, timeZone)));
  return {
    userId,
    areas,
    weakest,
    dueReviews,
    recent: graded
      .slice(-5)
      .reverse()
      .map((answer) => ({ questionId: answer.questionId, area: answer.area, score: Math.round(answer.score), at: answer.createdAt })),
    timeline,
    streakDays: streakDays(activeDays, localDay(now, timeZone)),
    totalAnswered: graded.length,
  };
}
