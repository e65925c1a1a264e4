import { z } from 'zod';
import type { ChatOpenAI } from '@langchain/openai';
import type { InterviewerPort } from '../core/ports/extensions.js';
import type { Logger } from '../core/ports/logger.js';
import { promptsDir } from '../shared/paths.js';
import { callStructured, classifyFailure, LlmFailure, logCall, nonce, type DailyBudget } from './chat.js';
import { fill, loadPrompt, parsePrompt, type PromptTemplate } from './prompts.js';

/** What the model returns for a follow-up: one question. */
export const followUpOutputSchema = z.object({ followUp: z.string() });
/** What the model returns for a clarifying question: the interviewer's reply. */
export const clarifyOutputSchema = z.object({ reply: z.string() });

/** Longest follow-up accepted (the prompt asks for at most this); longer output falls back to the rubric. */
export const MAX_FOLLOW_UP_CHARS = 300;
/** Longest clarifying reply accepted. */
export const MAX_CLARIFY_CHARS = 900;
/** Consecutive words shared with the private notes or a missed point that count as giving the answer away. */
const LEAK_WINDOW = 10;

export type InterviewerPromptName = 'follow-up' | 'clarify';

/** Same format and checks as every prompt file (src/llm/prompts.ts). */
export function parseInterviewerPrompt(name: InterviewerPromptName, text: string): PromptTemplate {
  return parsePrompt(name, text);
}

export function loadInterviewerPrompt(name: InterviewerPromptName, dir: string = promptsDir()): PromptTemplate {
  return loadPrompt(name, dir);
}

export interface LlmInterviewerOptions {
  model: ChatOpenAI;
  modelName: string;
  prompts: { followUp: PromptTemplate; clarify: PromptTemplate };
  logger: Logger;
  budget: DailyBudget;
  /** Candidate text longer than this is cut before it is sent. */
  maxInputChars: number;
}

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** True when `text` repeats LEAK_WINDOW consecutive words of `secret`. */
export function repeatsVerbatim(text: string, secret: string, window = LEAK_WINDOW): boolean {
  const source = words(secret);
  if (source.length < window) return false;
  const haystack = ` ${words(text).join(' ')} `;
  for (let start = 0; start + window <= source.length; start += 1) {
    if (haystack.includes(` ${source.slice(start, start + window).join(' ')} `)) return true;
  }
  return false;
}

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The LLM as interviewer. Both calls answer undefined on any failure (timeout, 429, 5xx, quota,
 * malformed or over-long output, a reply that repeats the private notes, budget used up), so the
 * engine falls back to the rubric's follow-up or to no interviewer reply. Never throws.
 */
export class LlmInterviewer implements InterviewerPort {
  constructor(private readonly options: LlmInterviewerOptions) {}

  async followUp(input: { question: string; missedPoints: string[]; answer: string; userId: string }): Promise<string | undefined> {
    if (input.missedPoints.length === 0) return undefined;
    return this.run('follow-up', input.userId, async () => {
      const values = {
        question: input.question,
        missed: input.missedPoints.map((point, index) => `${index + 1}. ${point}`).join('\n'),
        answer: this.cut(input.answer),
        nonce: nonce(),
      };
      const { followUp } = await this.ask('follow_up', followUpOutputSchema, this.options.prompts.followUp, values);
      const text = clean(followUp);
      if (!text || text.length > MAX_FOLLOW_UP_CHARS) throw new LlmFailure('the LLM returned malformed output');
      if (input.missedPoints.some((point) => repeatsVerbatim(text, point))) throw new LlmFailure('the LLM gave the answer away');
      return text;
    });
  }

  async clarify(input: { question: string; phase: string; phasePrompt: string; candidateMessage: string; scenarioNotes: string; userId: string }): Promise<string | undefined> {
    if (!input.candidateMessage.trim()) return undefined;
    return this.run('clarify', input.userId, async () => {
      const values = {
        question: input.question,
        phase: input.phase,
        phasePrompt: input.phasePrompt,
        notes: input.scenarioNotes,
        message: this.cut(input.candidateMessage),
        nonce: nonce(),
      };
      const { reply } = await this.ask('clarify', clarifyOutputSchema, this.options.prompts.clarify, values);
      const text = reply.trim();
      if (!text || text.length > MAX_CLARIFY_CHARS) throw new LlmFailure('the LLM returned malformed output');
      if (repeatsVerbatim(text, input.scenarioNotes)) throw new LlmFailure('the LLM gave the answer away');
      return text;
    });
  }

  private cut(text: string): string {
    return text.length > this.options.maxInputChars ? text.slice(0, this.options.maxInputChars) : text;
  }

  private async ask<T>(name: string, schema: z.ZodType<T>, prompt: PromptTemplate, values: Record<string, string>): Promise<T> {
    const { model, modelName, logger } = this.options;
    // `name` is the JSON-schema name sent to the server (follow_up, clarify); it also tags the log line.
    const call = await callStructured(model, schema, name, { system: fill(prompt.system, values), user: fill(prompt.user, values) });
    logCall(logger, name, modelName, call);
    return call.value;
  }

  private async run(kind: 'follow-up' | 'clarify', userId: string, body: () => Promise<string>): Promise<string | undefined> {
    const { logger, budget } = this.options;
    if (!budget.take(userId)) {
      logger.info({ llm: kind, reason: 'the daily LLM budget is used up' }, 'LLM interviewer skipped');
      return undefined;
    }
    try {
      return await body();
    } catch (error) {
      // Only the classified reason and error class: messages can echo the candidate's text or a key.
      const reason = classifyFailure(error);
      logger.warn({ llm: kind, reason, errorName: error instanceof Error ? error.name : typeof error }, kind === 'follow-up' ? 'LLM follow-up failed; using the rubric follow-up' : 'LLM clarify failed; no interviewer reply');
      return undefined;
    }
  }
}
