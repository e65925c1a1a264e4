import type { Config } from '../config/schema.js';
import type { InterviewerPort } from '../core/ports/extensions.js';
import type { EvidenceChecker, Grader } from '../core/ports/grader.js';
import type { Logger } from '../core/ports/logger.js';
import type { Answerer, Retriever } from '../core/ports/retriever.js';
import { LlmAnswerer } from './answerer.js';
import { chatSettings, createChatModel, DailyBudget } from './chat.js';
import { LlmGrader } from './grader.js';
import { LlmInterviewer, loadInterviewerPrompt } from './interviewer.js';
import { loadPrompt } from './prompts.js';

/** One per-user daily budget shared by grading and answers of the same config. */
const budgets = new WeakMap<Config, DailyBudget>();
function budgetFor(config: Config): DailyBudget {
  let budget = budgets.get(config);
  if (!budget) {
    budget = new DailyBudget(config.MLE_COACH_LLM_DAILY_BUDGET);
    budgets.set(config, budget);
  }
  return budget;
}

/** LLM grader with the offline grader alongside and as fallback. Throws when a prompt file is missing or invalid. */
export function createLlmGrader(config: Config, offline: Grader & EvidenceChecker, logger: Logger): Grader {
  const settings = chatSettings(config);
  return new LlmGrader({
    model: createChatModel(settings),
    modelName: settings.model,
    prompt: loadPrompt('grade'),
    offline,
    logger,
    budget: budgetFor(config),
    disagreement: config.MLE_COACH_GRADER_DISAGREEMENT,
    maxAnswerChars: config.MLE_COACH_MAX_ANSWER_CHARS,
  });
}

export function createLlmAnswerer(config: Config, offline: Answerer, retriever: Retriever, logger: Logger): Answerer {
  const settings = chatSettings(config);
  return new LlmAnswerer({
    model: createChatModel(settings),
    modelName: settings.model,
    prompt: loadPrompt('answer'),
    offline,
    retriever,
    logger,
    budget: budgetFor(config),
  });
}

/**
 * The LLM interviewer (follow-ups and answers to clarifying questions), sharing the per-user budget.
 * Undefined without an LLM; throws when prompts/follow-up.md or prompts/clarify.md is missing or invalid.
 */
export function createLlmInterviewer(config: Config, logger: Logger): InterviewerPort | undefined {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  const settings = chatSettings(config);
  return new LlmInterviewer({
    model: createChatModel(settings),
    modelName: settings.model,
    prompts: { followUp: loadInterviewerPrompt('follow-up'), clarify: loadInterviewerPrompt('clarify') },
    logger,
    budget: budgetFor(config),
    maxInputChars: config.MLE_COACH_MAX_ANSWER_CHARS,
  });
}
