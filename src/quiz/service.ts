import type { App } from '../app/bootstrap.js';

const TICK_MS = 20_000;

/** Runs the quiz scheduler until the returned stop function is called. */
export function startDailyQuiz(app: App): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await app.quiz.tick();
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
