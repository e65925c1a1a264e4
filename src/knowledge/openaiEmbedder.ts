import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';

/**
 * Embeddings from OpenAI or any OpenAI-compatible server (Ollama, vLLM, LM Studio) through
 * LangChain. Loaded with a dynamic import only when configured, so offline starts never load it.
 */

export interface OpenAiEmbedderOptions {
  model: string;
  apiKey?: string;
  /** OpenAI-compatible base URL, e.g. `http://localhost:11434/v1`. */
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

/** Sizes of OpenAI's own models; anything else is measured with one probe request. */
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

class OpenAiEmbedder implements Embedder {
  constructor(
    private readonly client: OpenAIEmbeddings,
    readonly id: string,
    readonly dimensions: number,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const vectors = await this.client.embedDocuments([...texts]);
    return vectors.map((vector) => Float32Array.from(vector));
  }
}

function hostOf(baseURL: string | undefined): string {
  if (!baseURL) return 'api.openai.com';
  try {
    const url = new URL(baseURL);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return 'custom';
  }
}

export async function openAiEmbedderFrom(options: OpenAiEmbedderOptions, log?: Logger): Promise<Embedder> {
  const client = new OpenAIEmbeddings({
    model: options.model,
    // OpenAI-compatible local servers ignore the key, but the client refuses to start without one.
    apiKey: options.apiKey ?? 'not-needed',
    maxRetries: options.maxRetries ?? 2,
    // The SDK otherwise asks for base64, which several OpenAI-compatible servers do not implement.
    encodingFormat: 'float',
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    ...(options.baseURL ? { configuration: { baseURL: options.baseURL } } : {}),
  });
  // The id names model and server (never the key): the vector index is rebuilt when either changes.
  const id = `openai:${options.model}@${hostOf(options.baseURL)}`;
  let dimensions = options.baseURL ? undefined : KNOWN_DIMENSIONS[options.model];
  if (dimensions === undefined) {
    const probe = await client.embedQuery('dimension probe');
    dimensions = probe.length;
    if (!Number.isInteger(dimensions) || dimensions <= 0) throw new Error(`embeddings model "${options.model}" returned an empty vector`);
  }
  log?.info({ model: options.model, server: hostOf(options.baseURL), dimensions }, 'using OpenAI-compatible embeddings');
  return new OpenAiEmbedder(client, id, dimensions);
}

/** The embedder for `MLE_COACH_EMBEDDINGS_MODEL` on `OPENAI_BASE_URL` (or OpenAI itself). */
export async function createOpenAiEmbedder(config: Config, log?: Logger): Promise<Embedder> {
  return openAiEmbedderFrom(
    {
      model: config.MLE_COACH_EMBEDDINGS_MODEL,
      ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
      ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
      timeoutMs: config.MLE_COACH_LLM_TIMEOUT_MS,
    },
    log,
  );
}
