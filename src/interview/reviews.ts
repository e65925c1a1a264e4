import { createEmptyCard, fsrs, Rating, type Card, type Grade } from 'ts-fsrs';
import type { ReviewRecord } from '../core/ports/store.js';
import { reviewRatingFor, type ReviewRating } from '../core/gradingPolicy.js';

const scheduler = fsrs({ enable_fuzz: false });

/** How a 0-100 grade maps to an FSRS rating: weak answers come back soon, strong ones later. */
const FSRS_RATING: Record<ReviewRating, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

/** The FSRS grade for a 0-100 score; the band itself is the grading policy's. */
export function ratingForScore(score: number): Grade {
  return FSRS_RATING[reviewRatingFor(score)];
}

function reviveCard(text: string): Card {
  const raw = JSON.parse(text) as Card & { due: string; last_review?: string };
  return { ...raw, due: new Date(raw.due), ...(raw.last_review ? { last_review: new Date(raw.last_review) } : {}) };
}

/** The next review state after a graded answer. */
export function scheduleReview(previous: ReviewRecord | undefined, userId: string, questionId: string, score: number, now: Date): ReviewRecord {
  const card = previous ? reviveCard(previous.card) : createEmptyCard(now);
  const next = scheduler.next(card, now, ratingForScore(score)).card;
  // FSRS relearning steps are minutes; in an interview bot a weak question comes back a day later at the earliest.
  const earliest = new Date(now.getTime() + MIN_REVIEW_DELAY_MS);
  const due = next.due.getTime() < earliest.getTime() ? earliest : next.due;
  return { userId, questionId, due, card: JSON.stringify({ ...next, due }) };
}

const MIN_REVIEW_DELAY_MS = 20 * 3600_000;
