import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { redactSecrets } from '../config/load.js';
import { hasLlm } from '../config/schema.js';
import type { Embedder, WordVectors } from '../core/ports/embedder.js';
import type { EvidenceChecker, Grader, Rubric } from '../core/ports/grader.js';
import type { Logger } from '../core/ports/logger.js';
import type { Answerer, Retriever } from '../core/ports/retriever.js';
import { OfflineGrader } from '../grading/offlineGrader.js';
import { rubricFromReference } from '../grading/reference.js';
import { loadKnowledge } from '../knowledge/load.js';
import { formatProblem, type KnowledgeBase, type KnowledgeProblem } from '../knowledge/types.js';
import { openWordVectors } from '../knowledge/wordVectors.js';
import { knowledgeDir } from '../shared/paths.js';

export function dataDir(config: Config): string {
  return resolve(config.MLE_COACH_DATA_DIR);
}

/**
 * Loads knowledge; bad files are logged and left out so the terminal still works around a typo.
 * The problems are returned too: `serve` does not become ready while there are any (unless allowed).
 */
export function loadKnowledgeBase(config: Config, logger: Logger): { knowledge: KnowledgeBase; problems: KnowledgeProblem[] } {
  const { knowledge, problems } = loadKnowledge(knowledgeDir(config.MLE_COACH_KNOWLEDGE_DIR), { cacheDir: join(dataDir(config), 'cache') });
  for (const problem of problems) logger.warn({ problem: formatProblem(problem) }, 'knowledge problem (run `mle-coach kb check`)');
  return { knowledge, problems };
}

export async function loadWordVectors(config: Config, logger: Logger): Promise<WordVectors> {
  return openWordVectors({ cacheDir: config.MLE_COACH_CACHE_DIR ? resolve(config.MLE_COACH_CACHE_DIR) : join(dataDir(config), 'cache'), log: logger });
}

export function createOfflineGrader(vectors: WordVectors, maxAnswerChars: number): Grader & EvidenceChecker {
  return new OfflineGrader(vectors, { maxAnswerChars });
}

export { rubricFromReference };
export type { Rubric };

export async function createEmbedder(config: Config, vectors: WordVectors, logger: Logger): Promise<Embedder> {
  const wantsOpenAi = config.MLE_COACH_EMBEDDER === 'openai' || (config.MLE_COACH_EMBEDDER === 'auto' && hasLlm(config));
  if (wantsOpenAi) {
    try {
      const { createOpenAiEmbedder } = await import('../knowledge/openaiEmbedder.js');
      return await createOpenAiEmbedder(config, logger);
    } catch (error) {
      // An unreachable embeddings server must not keep the bot from starting.
      logger.warn({ err: redactSecrets(error instanceof Error ? error.message : String(error), config) }, 'OpenAI-compatible embeddings unavailable; using local word vectors');
    }
  }
  const { SifEmbedder } = await import('../knowledge/sifEmbedder.js');
  return new SifEmbedder(vectors);
}

export interface Retrieval {
  retriever: Retriever;
  answerer: Answerer;
}

export async function createRetrieval(config: Config, knowledge: KnowledgeBase, vectors: WordVectors, logger: Logger): Promise<Retrieval> {
  const embedder = await createEmbedder(config, vectors, logger);
  const { openRetriever } = await import('../knowledge/retriever.js');
  const { OfflineAnswerer } = await import('../knowledge/answerer.js');
  // Typo repair needs to know real English words even when the embedder is remote.
  const retriever = await openRetriever({ knowledge, dataDir: dataDir(config), embedder, words: vectors, log: logger });
  return { retriever, answerer: new OfflineAnswerer(retriever) };
}
