import { createHash, randomBytes } from 'node:crypto';
import { ChatOpenAI } from '@langchain/openai';
import type { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/ports/logger.js';

export interface ChatSettings {
  model: string;
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

export function chatSettings(config: Config): ChatSettings {
  return {
    model: config.MLE_COACH_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.MLE_COACH_LLM_TIMEOUT_MS,
    maxRetries: 1,
  };
}

export function createChatModel(settings: ChatSettings): ChatOpenAI {
  return new ChatOpenAI({
    model: settings.model,
    apiKey: settings.apiKey ?? 'not-needed',
    temperature: 0,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    ...(settings.baseURL ? { configuration: { baseURL: settings.baseURL } } : {}),
  });
}

/** Why an LLM call did not give a usable result; shown to users as "graded offline: <reason>". */
export class LlmFailure extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'LlmFailure';
  }
}

function field(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

/** A short, secret-free reason for a failed call. Never includes the error message itself. */
export function classifyFailure(error: unknown): string {
  if (error instanceof LlmFailure) return error.reason;
  const status = Number(field(error, 'status') ?? field(field(error, 'response'), 'status'));
  const code = String(field(error, 'code') ?? field(field(error, 'error'), 'code') ?? '');
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'insufficient_quota' || /insufficient_quota/.test(message)) return 'the LLM quota is exhausted';
  if (/timeout|timed out/i.test(name) || /timeout|timed out/i.test(message) || name === 'AbortError') return 'the LLM timed out';
  if (status === 429 || /\b429\b|rate limit/i.test(message)) return 'the LLM is rate-limited';
  if (status >= 500 || /\b5\d\d\b/.test(message)) return 'the LLM server failed';
  if (status === 401 || status === 403) return 'the LLM rejected the credentials';
  if (/parse|json|schema|OutputParser|ZodError/i.test(name + ' ' + message) || Array.isArray(field(error, 'issues'))) return 'the LLM returned malformed output';
  return 'the LLM call failed';
}

export interface StructuredCall<T> {
  value: T;
  usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
  latencyMs: number;
}

/**
 * One structured-output call. The model's output is parsed by LangChain and then validated again
 * with `strict` (ranges and shape); anything else is a LlmFailure('malformed output').
 */
export async function callStructured<S extends z.ZodType>(
  model: ChatOpenAI,
  schema: S,
  name: string,
  messages: { system: string; user: string },
): Promise<StructuredCall<z.infer<S>>> {
  const started = Date.now();
  const runnable = model.withStructuredOutput(schema, { name, method: 'jsonSchema', includeRaw: true });
  let result: { raw: { usage_metadata?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } }; parsed: unknown };
  try {
    result = (await runnable.invoke([
    { role: 'system', content: messages.system },
    { role: 'user', content: messages.user },
    ])) as typeof result;
  } catch (error) {
    // Schema violations surface as a thrown ZodError from LangChain's parser.
    if (error instanceof Error && (error.name.includes('ZodError') || Array.isArray(field(error, 'issues')))) {
      throw new LlmFailure('the LLM returned malformed output', { cause: error });
    }
    throw error;
  }
  const latencyMs = Date.now() - started;
  const checked = schema.safeParse(result.parsed);
  if (result.parsed === null || result.parsed === undefined || !checked.success) throw new LlmFailure('the LLM returned malformed output');
  const meta = result.raw?.usage_metadata;
  return {
    value: checked.data,
    usage: { inputTokens: meta?.input_tokens, outputTokens: meta?.output_tokens, totalTokens: meta?.total_tokens },
    latencyMs,
  };
}

export function logCall(logger: Logger, kind: string, model: string, call: StructuredCall<unknown>): void {
  logger.info({ llm: kind, model, latencyMs: call.latencyMs, ...call.usage }, 'LLM call');
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
export const nonce = (): string => randomBytes(6).toString('hex');

/** Calls per user per UTC day; in memory. */
export class DailyBudget {
  private day = '';
  private readonly used = new Map<string, number>();
  constructor(
    private readonly limit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True and counts the call when the user has budget left. Calls without a user are not limited. */
  take(userId: string | undefined): boolean {
    const today = this.now().toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.used.clear();
    }
    if (userId === undefined) return true;
    const count = this.used.get(userId) ?? 0;
    if (count >= this.limit) return false;
    this.used.set(userId, count + 1);
    return true;
  }
}
