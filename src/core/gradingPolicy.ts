/**
 * The grading policy: every rule about what a 0-100 score means to a person lives here and only
 * here (score bands, verdict words, the tone adapters turn into colour or emoji, the hint penalty,
 * and how a score rates a spaced-repetition review). Change a band in this file and every reply,
 * chart, quiz tally and review schedule follows.
 */

export type Verdict = 'excellent' | 'good' | 'partial' | 'weak' | 'missing';

/** Lowest score of each verdict band, best first. */
export const VERDICT_BANDS: readonly (readonly [number, Verdict])[] = [
  [85, 'excellent'],
  [65, 'good'],
  [40, 'partial'],
  [10, 'weak'],
  [0, 'missing'],
];

export function verdictFor(score: number): Verdict {
  return VERDICT_BANDS.find(([floor]) => score >= floor)?.[1] ?? 'missing';
}

/** How a reply should look: adapters map a tone to their colour or emoji, nothing else. */
export const TONES = ['good', 'fair', 'poor', 'neutral'] as const;
export type Tone = (typeof TONES)[number];

/** Spaced-repetition rating of a graded answer: weak answers come back soon, strong ones later. */
export type ReviewRating = 'again' | 'hard' | 'good' | 'easy';

/** What each band means to a person: the words beside a score (never "not yet" next to a pass), its tone and review rating. */
const BAND_MEANING: Record<Verdict, { word: string; tone: Tone; rating: ReviewRating }> = {
  excellent: { word: 'excellent', tone: 'good', rating: 'easy' },
  good: { word: 'good', tone: 'good', rating: 'good' },
  partial: { word: 'partly there', tone: 'fair', rating: 'hard' },
  weak: { word: 'not yet', tone: 'poor', rating: 'again' },
  missing: { word: 'not yet', tone: 'poor', rating: 'again' },
};

export function verdictWord(score: number): string {
  return BAND_MEANING[verdictFor(score)].word;
}

export function toneFor(score: number | undefined): Tone {
  return score === undefined ? 'neutral' : BAND_MEANING[verdictFor(score)].tone;
}

export function reviewRatingFor(score: number): ReviewRating {
  return BAND_MEANING[verdictFor(score)].rating;
}

/** Each hint taken lowers the best score an answer can still earn, down to a floor. */
export const HINT_PENALTY = 15;
export const HINT_SCORE_FLOOR = 40;

export function maxScoreAfterHints(hintsUsed: number): number {
  return Math.max(HINT_SCORE_FLOOR, 100 - HINT_PENALTY * hintsUsed);
}

/**
 * Two graders (LLM and offline) further apart than this on one answer: the grade is marked low
 * confidence and says so, since at least one of them misread the answer.
 */
export const LOW_CONFIDENCE_GAP = 40;
