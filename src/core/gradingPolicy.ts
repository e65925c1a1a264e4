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

/** What a person reads beside a score; never "not yet" next to a passing band. */
const VERDICT_WORDS: Record<Verdict, string> = {
  excellent: 'excellent',
  good: 'good',
  partial: 'partly there',
  weak: 'not yet',
  missing: 'not yet',
};

export function verdictWord(score: number): string {
  return VERDICT_WORDS[verdictFor(score)];
}

/** How a reply should look: adapters map a tone to their colour or emoji, nothing else. */
export type Tone = 'good' | 'fair' | 'poor' | 'neutral';

const TONE_OF_VERDICT: Record<Verdict, Tone> = {
  excellent: 'good',
  good: 'good',
  partial: 'fair',
  weak: 'poor',
  missing: 'poor',
};

export function toneFor(score: number | undefined): Tone {
  return score === undefined ? 'neutral' : TONE_OF_VERDICT[verdictFor(score)];
}

/** Each hint taken lowers the best score an answer can still earn, down to a floor. */
export const HINT_PENALTY = 15;
export const HINT_SCORE_FLOOR = 40;

export function maxScoreAfterHints(hintsUsed: number): number {
  return Math.max(HINT_SCORE_FLOOR, 100 - HINT_PENALTY * hintsUsed);
}

/** Spaced-repetition rating of a graded answer: weak answers come back soon, strong ones later. */
export type ReviewRating = 'again' | 'hard' | 'good' | 'easy';

const RATING_OF_VERDICT: Record<Verdict, ReviewRating> = {
  excellent: 'easy',
  good: 'good',
  partial: 'hard',
  weak: 'again',
  missing: 'again',
};

export function reviewRatingFor(score: number): ReviewRating {
  return RATING_OF_VERDICT[verdictFor(score)];
}
