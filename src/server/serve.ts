import type { Server } from 'node:http';
import type { App } from '../app/bootstrap.js';
import type { RunningAdapter } from '../app/context.js';
import { hasDiscord, hasSlack, type Config } from '../config/schema.js';
import { startHealthServer } from './health.js';

export interface RunningServer {
  app: App;
  adapters: RunningAdapter[];
  health: Server;
  /** Stops taking work, finishes in-flight grading, closes the database. */
  shutdown(reason: string): Promise<void>;
}

const SHUTDOWN_BUDGET_MS = 9_000;

/** Starts every adapter whose configuration is present, the quiz scheduler, and health endpoints. */
export async function startServer(config: Config, options: { healthHost?: string } = {}): Promise<RunningServer> {
  // Health endpoints come up first: during a first-start cache build or a wait on another
  // process's build, /healthz says alive and /readyz says not ready, so orchestrators do not restart us.
  let booted: App | undefined;
  const adapters: RunningAdapter[] = [];
  let started = false;
  const health = await startHealthServer(config.HEALTH_PORT, () => [
    { name: 'database', ready: () => booted?.db.open ?? false },
    { name: 'index', ready: () => (booted?.knowledge.notes.length ?? 0) > 0 },
    // Broken knowledge fails closed: a file left out silently empties a track and its quizzes.
    { name: 'knowledge', ready: () => booted !== undefined && (booted.knowledgeProblems.length === 0 || config.MLE_COACH_ALLOW_BROKEN_KNOWLEDGE) },
    { name: 'startup', ready: () => started },
    ...adapters.map((adapter) => ({ name: adapter.name, ready: () => adapter.isReady() })),
  ], options.healthHost);
  const { bootstrap } = await import('../app/bootstrap.js');
  const app = await bootstrap(config).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => health.close(() => resolve()));
    throw error;
  });
  booted = app;
  if (app.knowledgeProblems.length > 0) {
    const files = [...new Set(app.knowledgeProblems.map((problem) => problem.file))];
    if (config.MLE_COACH_ALLOW_BROKEN_KNOWLEDGE) app.logger.warn({ files }, 'knowledge has problems; serving without those files because MLE_COACH_ALLOW_BROKEN_KNOWLEDGE is set');
    else app.logger.error({ files }, 'knowledge has problems: /readyz stays 503 until `mle-coach kb check` is clean (or set MLE_COACH_ALLOW_BROKEN_KNOWLEDGE=true to serve without those files)');
  }
  if (hasSlack(config)) {
    const { startSlack } = await import('../adapters/slack/index.js');
    adapters.push(await startSlack(app));
  }
  if (hasDiscord(config)) {
    const { startDiscord } = await import('../adapters/discord/index.js');
    adapters.push(await startDiscord(app));
  }
  const stopScheduler = await startQuizScheduler(app);
  started = true;
  app.logger.info({ adapters: adapters.map((adapter) => adapter.name), healthPort: config.HEALTH_PORT }, 'mle-coach serving');
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      app.logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        app.logger.error({ budgetMs: SHUTDOWN_BUDGET_MS }, 'shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_BUDGET_MS);
      timer.unref();
      stopScheduler();
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await new Promise<void>((resolve) => health.close(() => resolve()));
      await app.close();
      clearTimeout(timer);
    })();
    return stopping;
  };
  return { app, adapters, health, shutdown };
}

async function startQuizScheduler(app: App): Promise<() => void> {
  try {
    const { startDailyQuiz } = await import('../quiz/service.js');
    return startDailyQuiz(app);
  } catch (error) {
    app.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'daily quiz scheduler not started');
    return () => {};
  }
}

export async function runServer(config: Config): Promise<number> {
  // Signals are handled from the first moment, so a SIGTERM during start-up still shuts down cleanly.
  let signalled: string | undefined;
  let onSignal: (signal: string) => void = (signal) => {
    signalled = signal;
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  const server = await startServer(config);
  await new Promise<void>((resolve) => {
    onSignal = (signal: string) => {
      void server.shutdown(signal).then(resolve);
    };
    if (signalled) onSignal(signalled);
  });
  return 0;
}
