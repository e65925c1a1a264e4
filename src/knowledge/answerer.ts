import type { Answerer, GroundedAnswer, Passage } from '../core/ports/retriever.js';
import { contentStems } from '../text/tokenize.js';
import { readableSentences } from './chunks.js';
import type { ScoredPassage, ScoringRetriever } from './retriever.js';

/**
 * Answers questions from the notes without an LLM: 2-4 sentences of the top passages that share the
 * most (idf-weighted) words with the question, quoted as one short paragraph per passage ending in
 * a `[noteId]` citation, then one "Sources" line per note. When the top passages cover too little
 * of the question, the reply says the knowledge base does not cover it and names the nearest notes.
 */

export interface OfflineAnswererOptions {
  /** Passages to read sentences from. */
  passages?: number;
  /** Minimum share of the question's weighted words a top passage must contain to count as covered. */
  minCoverage?: number;
  /**
   * A passage whose note title, tags and heading share no word with the question must cover this
   * much of it instead (keeps "calories in a banana" from matching a passing mention).
   */
  offTopicCoverage?: number;
  minSentences?: number;
  maxSentences?: number;
  /** Soft limit on the quoted text, in characters. */
  maxChars?: number;
}

export const DEFAULT_ANSWERER: Required<OfflineAnswererOptions> = { passages: 4, minCoverage: 0.35, offTopicCoverage: 0.6, minSentences: 2, maxSentences: 4, maxChars: 700 };

interface Candidate {
  passage: ScoredPassage;
  passageRank: number;
  position: number;
  text: string;
  /** Share of the question's weighted words in this sentence. */
  overlap: number;
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
    const { minCoverage, offTopicCoverage } = this.options;
    const relevant = (passage: ScoredPassage) => passage.coverage >= minCoverage && (passage.headingCoverage > 0 || passage.coverage >= offTopicCoverage);
    if (!passages.slice(0, 3).some(relevant)) return this.notCovered(query, passages);

    const terms = this.retriever.queryTerms(trimmed);
    const chosen = this.pickSentences(passages, terms);
    if (chosen.length === 0) return this.notCovered(query, passages);

    // One paragraph per passage, each ending with its citation.
    const paragraphs: string[] = [];
    const used: ScoredPassage[] = [];
    for (const candidate of chosen) {
      const index = used.indexOf(candidate.passage);
      if (index >= 0) {
        paragraphs[index] = `${paragraphs[index]} ${candidate.text}`;
      } else {
        used.push(candidate.passage);
        paragraphs.push(candidate.text);
      }
    }
    const cited = paragraphs.map((paragraph, index) => `${paragraph} [${used[index]?.noteId ?? ''}]`);
    // One source line per note, naming the sections used.
    const byNote = new Map<string, { title: string; sections: string[] }>();
    for (const passage of used) {
      const entry = byNote.get(passage.noteId) ?? { title: passage.title, sections: [] };
      entry.sections.push(passage.section);
      byNote.set(passage.noteId, entry);
    }
    const sources = [...byNote].map(([noteId, { title, sections }]) => `- [${noteId}] ${title} — ${sections.join('; ')}`);
    return {
      query,
      answer: `${cited.join('\n\n')}\n\nSources:\n${sources.join('\n')}`,
      sources: used.map(toPassage),
      covered: true,
      answeredBy: 'offline',
    };
  }

  /**
   * Scores every sentence of the top passages by the question words it contains (nudged towards
   * better-ranked passages whose heading matches). The answer is an excerpt: the best sentence and
   * the one after it (or before it, when it starts with "This ..."), then the best sentence of
   * another passage if it scores close, so "A vs B" questions get both sides.
   */
  private pickSentences(passages: readonly ScoredPassage[], terms: readonly { stem: string; weight: number }[]): Candidate[] {
    const total = terms.reduce((sum, term) => sum + term.weight, 0) || 1;
    const candidates: Candidate[] = [];
    passages.forEach((passage, passageRank) => {
      readableSentences(passage.text).forEach((text, position) => {
        const stems = new Set(contentStems(text));
        const overlap = terms.reduce((sum, term) => sum + (stems.has(term.stem) ? term.weight : 0), 0) / total;
        const lengthPenalty = text.length < 40 ? 0.15 : text.length > 420 ? 0.1 : 0;
        const score = overlap + 0.25 * passage.headingCoverage + 0.2 / (passageRank + 1) + (position === 0 ? 0.05 : 0) - lengthPenalty;
        candidates.push({ passage, passageRank, position, text, overlap, score });
      });
    });
    const ranked = [...candidates].sort((a, b) => b.score - a.score);
    const top = ranked[0];
    if (!top) return [];

    const { minSentences, maxSentences, maxChars } = this.options;
    const chosen: Candidate[] = [];
    let chars = 0;
    const take = (candidate: Candidate | undefined, force = false): boolean => {
      if (!candidate || chosen.includes(candidate) || chosen.length >= maxSentences) return false;
      if (!force && chars + candidate.text.length > maxChars) return false;
      chosen.push(candidate);
      chars += candidate.text.length;
      return true;
    };
    const neighbour = (candidate: Candidate, offset: number) =>
      candidates.find((other) => other.passage === candidate.passage && other.position === candidate.position + offset);
    /** The sentence plus its context: the one before when it leans back, else the one after. */
    const excerpt = (candidate: Candidate, force: boolean) => {
      const previous = LEANS_BACK.test(candidate.text) ? neighbour(candidate, -1) : undefined;
      if (previous) take(previous, force);
      take(candidate, force);
      // Context after the sentence: always for the main excerpt, else only when it is on topic too.
      const next = neighbour(candidate, 1);
      if (next && chosen.includes(candidate) && !previous && (force || next.overlap > 0)) take(next, chosen.length < minSentences);
    };
    excerpt(top, true);
    for (const candidate of ranked) {
      if (chosen.length >= maxSentences) break;
      if (candidate.score < top.score * 0.75) break;
      if (chosen.some((other) => other.passage === candidate.passage)) continue;
      excerpt(candidate, false);
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
