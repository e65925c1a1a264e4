import type { Answerer, GroundedAnswer, Passage } from '../core/ports/retriever.js';
import { contentStems } from '../text/tokenize.js';
import { readableSentences } from './chunks.js';
import type { ScoredPassage, ScoringRetriever } from './retriever.js';

/**
 * Answers questions from the notes without an LLM: the 2-4 sentences of the top passages that
 * share the most (idf-weighted) words with the question, grouped by note with a `[noteId]`
 * citation each, then the list of sources. When the best passages cover too little of the question
 * the reply says the knowledge base does not cover it and names the nearest notes.
 */

export interface OfflineAnswererOptions {
  /** Passages to read sentences from. */
  passages?: number;
  /** Minimum share of the question's weighted words a top passage must contain to count as covered. */
  minCoverage?: number;
  minSentences?: number;
  maxSentences?: number;
  /** Soft limit on the quoted text, in characters. */
  maxChars?: number;
}

export const DEFAULT_ANSWERER: Required<OfflineAnswererOptions> = { passages: 4, minCoverage: 0.35, minSentences: 2, maxSentences: 4, maxChars: 900 };

interface Candidate {
  passage: ScoredPassage;
  passageRank: number;
  position: number;
  text: string;
  score: number;
}

/** Sentences that lean on the one before them read badly alone. */
const LEANS_BACK = /^(?:this|that|these|those|it|its|they|their|such|so|but|however|then|here|there|both|which)\b/i;

export class OfflineAnswerer implements Answerer {
  private readonly options: Required<OfflineAnswererOptions>;

  constructor(
    private readonly retriever: ScoringRetriever,
    options: OfflineAnswererOptions = {},
  ) {
    this.options = { ...DEFAULT_ANSWERER, ...options };
  }

  async answer(query: string, options: { k?: number; userId?: string } = {}): Promise<GroundedAnswer> {
    const trimmed = query.trim();
    const passages = trimmed ? await this.retriever.searchScored(trimmed, { k: options.k ?? this.options.passages }) : [];
    const best = passages.slice(0, 3).reduce((max, passage) => Math.max(max, passage.coverage), 0);
    if (passages.length === 0 || best < this.options.minCoverage) return this.notCovered(query, passages);

    const terms = this.retriever.queryTerms(trimmed);
    const chosen = this.pickSentences(passages, terms);
    if (chosen.length === 0) return this.notCovered(query, passages);

    const paragraphs: string[] = [];
    const used: ScoredPassage[] = [];
    let current: { noteId: string; parts: string[] } | undefined;
    for (const candidate of chosen) {
      if (!used.includes(candidate.passage)) used.push(candidate.passage);
      if (current && current.noteId === candidate.passage.noteId) {
        current.parts.push(candidate.text);
        continue;
      }
      if (current) paragraphs.push(`${current.parts.join(' ')} [${current.noteId}]`);
      current = { noteId: candidate.passage.noteId, parts: [candidate.text] };
    }
    if (current) paragraphs.push(`${current.parts.join(' ')} [${current.noteId}]`);

    const sources = used.map((passage) => `- [${passage.noteId}] ${passage.title} — ${passage.section}`);
    return {
      query,
      answer: `${paragraphs.join('\n\n')}\n\nSources:\n${sources.join('\n')}`,
      sources: used.map(toPassage),
      covered: true,
      answeredBy: 'offline',
    };
  }

  private pickSentences(passages: readonly ScoredPassage[], terms: readonly { stem: string; weight: number }[]): Candidate[] {
    const total = terms.reduce((sum, term) => sum + term.weight, 0) || 1;
    const candidates: Candidate[] = [];
    passages.forEach((passage, passageRank) => {
      readableSentences(passage.text).forEach((text, position) => {
        const stems = new Set(contentStems(text));
        const overlap = terms.reduce((sum, term) => sum + (stems.has(term.stem) ? term.weight : 0), 0) / total;
        const lengthPenalty = text.length < 40 ? 0.15 : text.length > 420 ? 0.1 : 0;
        const score = overlap + 0.2 / (passageRank + 1) + (position === 0 ? 0.05 : 0) - lengthPenalty;
        candidates.push({ passage, passageRank, position, text, score });
      });
    });
    if (candidates.length === 0) return [];

    const ranked = [...candidates].sort((a, b) => b.score - a.score);
    const top = ranked[0] as Candidate;
    const chosen: Candidate[] = [];
    let chars = 0;
    const take = (candidate: Candidate): boolean => {
      if (chosen.includes(candidate) || chosen.length >= this.options.maxSentences) return false;
      if (chosen.length >= this.options.minSentences && chars + candidate.text.length > this.options.maxChars) return false;
      chosen.push(candidate);
      chars += candidate.text.length;
      return true;
    };
    for (const candidate of ranked) {
      if (chosen.length >= this.options.maxSentences) break;
      if (chosen.length >= this.options.minSentences && candidate.score < top.score * 0.6) break;
      // A sentence starting with "This ..." brings the sentence it refers to.
      if (LEANS_BACK.test(candidate.text) && candidate.position > 0) {
        const previous = candidates.find((other) => other.passage === candidate.passage && other.position === candidate.position - 1);
        if (previous && !chosen.includes(previous) && chosen.length + 2 > this.options.maxSentences) continue;
        if (previous) take(previous);
      }
      take(candidate);
    }
    return chosen.sort((a, b) => a.passageRank - b.passageRank || a.position - b.position);
  }

  private notCovered(query: string, passages: readonly ScoredPassage[]): GroundedAnswer {
    const notes: ScoredPassage[] = [];
    for (const passage of passages) if (!notes.some((note) => note.noteId === passage.noteId)) notes.push(passage);
    const nearest = notes.slice(0, 3).map((passage) => `- [${passage.noteId}] ${passage.title}`);
    const answer = query.trim()
      ? nearest.length > 0
        ? `That isn't covered in the knowledge base, so I won't guess. The nearest notes are:\n${nearest.join('\n')}\nTry rephrasing with the key term, or ask about one of these.`
        : "That isn't covered in the knowledge base, and no note comes close. Try rephrasing with the key term."
      : 'Ask me a question about machine learning, e.g. "when is ROC AUC misleading?"';
    return { query, answer, sources: notes.slice(0, 3).map(toPassage), covered: false, answeredBy: 'offline' };
  }
}

function toPassage({ id, noteId, title, section, area, path, text, score }: ScoredPassage): Passage {
  return { id, noteId, title, section, area, path, text, score };
}
