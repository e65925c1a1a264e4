import type { Config } from '../config/schema.js';
import type { Grader } from '../core/ports/grader.js';
import type { Logger } from '../core/ports/logger.js';
import type { Answerer, Retriever } from '../core/ports/retriever.js';

/** Placeholder until LLM mode lands: the offline grader answers. */
export function createLlmGrader(_config: Config, offline: Grader, _logger: Logger): Grader {
  return offline;
}

export function createLlmAnswerer(_config: Config, offline: Answerer, _retriever: Retriever, _logger: Logger): Answerer {
  return offline;
}
