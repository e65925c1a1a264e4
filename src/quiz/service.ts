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
    } catch (error) {
      // A timer task never takes the process down: log with context and try again next tick.
      app.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'daily quiz tick failed');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
