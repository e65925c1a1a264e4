import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { CoachEngine } from '../core/engine.js';
import type { Clock } from '../core/ports/clock.js';
import { systemClock } from '../core/ports/clock.js';
import type { EvidenceChecker, Grader } from '../core/ports/grader.js';
import type { InterviewerPort } from '../core/ports/extensions.js';
import type { Logger } from '../core/ports/logger.js';
import type { ChannelPoster } from '../core/ports/poster.js';
import type { Answerer, Retriever } from '../core/ports/retriever.js';
import { QuestionBank } from '../interview/bank.js';
import type { KnowledgeBase, KnowledgeProblem } from '../knowledge/types.js';
import { openDatabase, type SqliteDatabase } from '../storage/database.js';
import { SqliteStore } from '../storage/sqliteStore.js';
import { SqliteQuizStore } from '../storage/quizStore.js';
import { QuizService } from '../quiz/quizService.js';
import type { AppContext } from './context.js';
import { createLogger } from './logger.js';
import { createOfflineGrader, createRetrieval, dataDir, loadKnowledgeBase, loadWordVectors } from './services.js';

export interface BootstrapOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Replace the grader (e.g. the LLM grader is wired by `createGrader`). */
  grader?: Grader;
}

/** Everything `bootstrap` wires, for commands and tests that need more than the engine. */
export interface App extends AppContext {
  readonly engine: CoachEngine;
  readonly db: SqliteDatabase;
  readonly store: SqliteStore;
  readonly knowledge: KnowledgeBase;
  /** Files left out of `knowledge` and why (empty when `kb check` is clean). */
  readonly knowledgeProblems: readonly KnowledgeProblem[];
  readonly bank: QuestionBank;
  readonly retriever: Retriever;
  readonly answerer: Answerer;
  readonly grader: Grader;
  readonly clock: Clock;
  readonly posters: ChannelPoster[];
  readonly quiz: QuizService;
}

/** Wires the whole app from configuration: knowledge, retrieval, grading, storage, engine. */
export async function bootstrap(config: Config, overrides: BootstrapOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config);
  const clock = overrides.clock ?? systemClock;
  const { knowledge, problems: knowledgeProblems } = loadKnowledgeBase(config, logger);
  const vectors = await loadWordVectors(config, logger);
  const offline = createOfflineGrader(vectors, config.MLE_COACH_MAX_ANSWER_CHARS);
  const { retriever, answerer } = await createRetrieval(config, knowledge, vectors, logger);
  const grader = overrides.grader ?? (await createGrader(config, offline, logger));
  const db = openDatabase(join(dataDir(config), 'mle-coach.sqlite'));
  const store = new SqliteStore(db);
  const bank = new QuestionBank(knowledge);
  const chosenAnswerer = await createAnswerer(config, answerer, retriever, logger);
  const interviewer = await createInterviewer(config, logger);
  const engine = new CoachEngine({
    store,
    bank,
    grader,
    retriever,
    answerer: chosenAnswerer,
    ...(interviewer ? { interviewer } : {}),
    clock,
    logger,
    options: {
      sessionTtlMinutes: config.MLE_COACH_SESSION_TTL_MINUTES,
      maxAnswerChars: config.MLE_COACH_MAX_ANSWER_CHARS,
      defaultTimezone: config.MLE_COACH_DEFAULT_TIMEZONE,
      admins: config.MLE_COACH_ADMINS,
    },
  });
  const { PngChartRenderer } = await import('../charts/progressChart.js');
  engine.attachCharts(new PngChartRenderer(join(dataDir(config), 'charts')));
  const posters: ChannelPoster[] = [];
  const quiz = new QuizService({
    quizStore: new SqliteQuizStore(db),
    store,
    bank,
    grader,
    retriever,
    clock,
    logger,
    posters: () => posters,
    admins: config.MLE_COACH_ADMINS,
    closeHours: config.MLE_COACH_QUIZ_CLOSE_HOURS,
    defaultTimezone: config.MLE_COACH_DEFAULT_TIMEZONE,
  });
  engine.attachQuiz(quiz);
  let closed = false;
  return {
    config,
    engine,
    logger,
    db,
    store,
    knowledge,
    knowledgeProblems,
    bank,
    retriever,
    answerer: chosenAnswerer,
    grader,
    clock,
    posters,
    quiz,
    registerPoster(poster: ChannelPoster) {
      posters.push(poster);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

/** The LLM grader when a key or base URL is configured, else the offline one. */
async function createGrader(config: Config, offline: Grader & EvidenceChecker, logger: Logger): Promise<Grader> {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return offline;
  try {
    const { createLlmGrader } = await import('../llm/factory.js');
    return createLlmGrader(config, offline, logger);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'LLM grading unavailable; using the offline grader');
    return offline;
  }
}

async function createAnswerer(config: Config, offline: Answerer, retriever: Retriever, logger: Logger): Promise<Answerer> {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return offline;
  try {
    const { createLlmAnswerer } = await import('../llm/factory.js');
    return createLlmAnswerer(config, offline, retriever, logger);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'LLM answers unavailable; using offline answers');
    return offline;
  }
}

async function createInterviewer(config: Config, logger: Logger): Promise<InterviewerPort | undefined> {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  try {
    const { createLlmInterviewer } = await import('../llm/factory.js');
    return createLlmInterviewer(config, logger);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'LLM interviewer unavailable; using rubric follow-ups');
    return undefined;
  }
}
