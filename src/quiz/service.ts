import type { App } from '../app/bootstrap.js';

/** Placeholder until the daily quiz lands: nothing is scheduled. */
export function startDailyQuiz(_app: App): () => void {
  return () => {};
}
