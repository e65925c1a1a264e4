import { z } from 'zod';
import type { ChatOpenAI } from '@langchain/openai';
import type { Logger } from '../core/ports/logger.js';
import type { Answerer, GroundedAnswer, Passage, Retriever } from '../core/ports/retriever.js';
import { callStructured, classifyFailure, logCall, nonce, type DailyBudget } from './chat.js';
import { fill, type PromptTemplate } from './prompts.js';

export const answerOutputSchema = z.object({
  covered: z.boolean(),
  answer: z.string(),
  citations: z.array(z.string()),
});

export interface LlmAnswererOptions {
  model: ChatOpenAI;
  modelName: string;
  prompt: PromptTemplate;
  offline: Answerer;
  retriever: Retriever;
  logger: Logger;
  budget: DailyBudget;
  k?: number;
}

const strip = (id: string): string => id.trim().replace(/^\[|\]$/g, '');

/** Answers only from retrieved passages; citations must name retrieved notes, else "not in the knowledge base". */
export class LlmAnswerer implements Answerer {
  constructor(private readonly options: LlmAnswererOptions) {}

  async answer(query: string, options: { k?: number; userId?: string } = {}): Promise<GroundedAnswer> {
    const { offline, retriever, logger, prompt, model, modelName } = this.options;
    if (!query.trim()) return offline.answer(query, options);
    try {
      const passages = await retriever.search(query, { k: options.k ?? this.options.k ?? 5 });
      if (passages.length === 0) return offline.answer(query, options);
      if (!this.options.budget.take(options.userId)) return offline.answer(query, options);
      const values = {
        question: query,
        passages: passages.map((passage) => `[${passage.noteId}] ${passage.title} — ${passage.section}\n${passage.text}`).join('\n\n'),
        nonce: nonce(),
      };
      const call = await callStructured(model, answerOutputSchema, 'answer', { system: fill(prompt.system, values), user: fill(prompt.user, values) });
      logCall(logger, 'answer', modelName, call);
      const { covered, answer, citations } = call.value;
      const ids = new Set(passages.map((passage) => passage.noteId));
      const cited = [...new Set(citations.map(strip))];
      if (!covered || !answer.trim() || cited.length === 0 || cited.some((id) => !ids.has(id))) return notCovered(query, passages);
      const sources: Passage[] = [];
      for (const id of cited) {
        const passage = passages.find((item) => item.noteId === id);
        if (passage) sources.push(passage);
      }
      return { query, answer: answer.trim(), sources, covered: true, answeredBy: 'llm' };
    } catch (error) {
      logger.warn({ llm: 'answer', reason: classifyFailure(error) }, 'LLM answer failed; using the offline answer');
      return offline.answer(query, options);
    }
  }
}

function notCovered(query: string, passages: readonly Passage[]): GroundedAnswer {
  const notes: Passage[] = [];
  for (const passage of passages) if (!notes.some((note) => note.noteId === passage.noteId)) notes.push(passage);
  const nearest = notes.slice(0, 3);
  const answer = `Not in the knowledge base, so I won't guess. The nearest notes are:\n${nearest.map((passage) => `- [${passage.noteId}] ${passage.title}`).join('\n')}`;
  return { query, answer, sources: nearest, covered: false, answeredBy: 'llm' };
}
