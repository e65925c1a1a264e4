import { join } from 'node:path';
import type { Embedder, WordVectors } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';
import type { Passage, Retriever, SearchOptions } from '../core/ports/retriever.js';
import { contentStems, isStopWord, stem, words } from '../text/tokenize.js';
import { chunksOf, embeddingText, type KnowledgeChunk } from './chunks.js';
import { openDenseIndex, type DenseIndex, type DenseIndexMeta } from './denseIndex.js';
import { DEFAULT_BM25, LexicalIndex, type Bm25Params } from './lexicalIndex.js';
import type { KnowledgeBase } from './types.js';

/**
 * Hybrid search over note sections: BM25 over stems (with title/heading boosts) and cosine search
 * over embeddings, fused by reciprocal rank fusion. Misspelt query words that are neither in the
 * notes nor in the word-vector vocabulary are replaced by the closest word of the notes first.
 */

export interface RetrieverTuning extends Bm25Params {
  /** RRF constant: larger values flatten the difference between ranks. */
  rrfK: number;
  lexicalWeight: number;
  denseWeight: number;
  /** How many dense neighbours take part in the fusion. */
  candidates: number;
}

export const DEFAULT_TUNING: RetrieverTuning = { ...DEFAULT_BM25, rrfK: 20, lexicalWeight: 1, denseWeight: 1, candidates: 50 };

/** A passage with the signals behind its rank (for answer building and evaluation). */
export interface ScoredPassage extends Passage {
  lexicalRank?: number;
  lexicalScore?: number;
  denseRank?: number;
  similarity?: number;
  /** Share (0..1) of the query's idf-weighted content words that occur in this passage. */
  coverage: number;
}

/** What the offline answerer needs beyond the port: signals and term weights. */
export interface ScoringRetriever extends Retriever {
  searchScored(query: string, options?: SearchOptions): Promise<ScoredPassage[]>;
  /** The query's content stems after spelling repair, each with its idf weight. */
  queryTerms(query: string): { stem: string; weight: number }[];
}

export interface OpenRetrieverOptions {
  knowledge: KnowledgeBase;
  /** The vector index lives in `<dataDir>/index/`. */
  dataDir: string;
  embedder: Embedder;
  /** Known English words are never "corrected"; without it only words of 5+ letters are. */
  words?: WordVectors;
  log?: Logger;
  tuning?: Partial<RetrieverTuning>;
}

export class HybridRetriever implements ScoringRetriever {
  private readonly tuning: RetrieverTuning;
  private readonly lexical: LexicalIndex;

  constructor(
    private readonly chunks: readonly KnowledgeChunk[],
    private readonly embedder: Embedder,
    /** Undefined when the embedder failed while building: search is then lexical only. */
    private readonly dense: DenseIndex | undefined,
    private readonly options: { words?: WordVectors; log?: Logger; tuning?: Partial<RetrieverTuning> } = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.lexical = new LexicalIndex(
      chunks.map((chunk) => ({ title: `${chunk.title} ${chunk.tags.join(' ')}`, heading: chunk.section, body: chunk.text })),
      this.tuning,
    );
  }

  /** How the vector index was obtained on this start, or undefined when dense search is off. */
  get index(): { origin: 'built' | 'loaded'; meta: DenseIndexMeta } | undefined {
    return this.dense ? { origin: this.dense.origin, meta: this.dense.meta } : undefined;
  }

  get size(): number {
    return this.chunks.length;
  }

  async search(query: string, options: SearchOptions = {}): Promise<Passage[]> {
    const scored = await this.searchScored(query, options);
    return scored.map(({ id, noteId, title, section, area, path, text, score }) => ({ id, noteId, title, section, area, path, text, score }));
  }

  async searchScored(query: string, options: SearchOptions = {}): Promise<ScoredPassage[]> {
    const k = Math.max(1, options.k ?? 5);
    const mode = options.mode ?? 'hybrid';
    const allow = this.filter(options);
    const text = this.repairSpelling(query);
    const stems = contentStems(text);

    const lexicalHits = mode === 'dense' ? [] : this.lexical.search(stems, allow);
    let denseHits: { label: number; similarity: number }[] = [];
    if (mode !== 'lexical' && this.dense && text.trim()) {
      try {
        const [vector] = await this.embedder.embed([text]);
        if (vector) denseHits = this.dense.search(vector, this.tuning.candidates, allow);
      } catch (error) {
        this.options.log?.warn({ err: (error as Error).message, embedder: this.embedder.id }, 'query embedding failed; answering from lexical search only');
      }
    }

    const fused = new Map<number, { score: number; lexicalRank?: number; lexicalScore?: number; denseRank?: number; similarity?: number }>();
    const entry = (doc: number) => {
      let value = fused.get(doc);
      if (!value) {
        value = { score: 0 };
        fused.set(doc, value);
      }
      return value;
    };
    lexicalHits.forEach((hit, index) => {
      const value = entry(hit.doc);
      value.lexicalRank = index + 1;
      value.lexicalScore = hit.score;
      value.score += mode === 'lexical' ? hit.score : this.tuning.lexicalWeight / (this.tuning.rrfK + index + 1);
    });
    denseHits.forEach((hit, index) => {
      const value = entry(hit.label);
      value.denseRank = index + 1;
      value.similarity = hit.similarity;
      value.score += mode === 'dense' ? hit.similarity : this.tuning.denseWeight / (this.tuning.rrfK + index + 1);
    });

    const weights = this.weigh(stems);
    const totalWeight = weights.reduce((sum, term) => sum + term.weight, 0);
    return [...fused]
      .sort(([docA, a], [docB, b]) => b.score - a.score || docA - docB)
      .slice(0, k)
      .map(([doc, signals]) => {
        const chunk = this.chunks[doc] as KnowledgeChunk;
        const present = this.lexical.stemsOf(doc);
        const covered = weights.reduce((sum, term) => sum + (present.has(term.stem) ? term.weight : 0), 0);
        return {
          id: chunk.id,
          noteId: chunk.noteId,
          title: chunk.title,
          section: chunk.section,
          area: chunk.area,
          path: chunk.path,
          text: chunk.text,
          ...signals,
          coverage: totalWeight > 0 ? covered / totalWeight : 0,
        };
      });
  }

  queryTerms(query: string): { stem: string; weight: number }[] {
    return this.weigh(contentStems(this.repairSpelling(query)));
  }

  private weigh(stems: readonly string[]): { stem: string; weight: number }[] {
    return [...new Set(stems)].map((term) => ({ stem: term, weight: this.lexical.idf(term) }));
  }

  private filter(options: SearchOptions): ((doc: number) => boolean) | undefined {
    const notes = options.noteIds ? new Set(options.noteIds) : undefined;
    const areas = options.areas ? new Set(options.areas) : undefined;
    if (!notes && !areas) return undefined;
    return (doc: number) => {
      const chunk = this.chunks[doc];
      return chunk !== undefined && (!notes || notes.has(chunk.noteId)) && (!areas || areas.has(chunk.area));
    };
  }

  /** Replaces words that are in neither the notes nor the vocabulary by the closest word of the notes. */
  repairSpelling(query: string): string {
    const vocabulary = this.options.words;
    let changed = false;
    const repaired = words(query).map((word) => {
      if (isStopWord(word) || !/^[a-z]+$/.test(word) || this.lexical.hasTerm(stem(word))) return word;
      if (vocabulary ? vocabulary.rank(word) !== undefined : word.length < 5) return word;
      const closest = this.lexical.closestWord(word);
      if (!closest) return word;
      changed = true;
      return closest;
    });
    return changed ? repaired.join(' ') : query;
  }
}

/**
 * Builds the retriever: the lexical index in memory, the vector index from `<dataDir>/index/`
 * (rebuilt when the knowledge or the embedder changed). If the embedder fails while building, the
 * retriever still works, lexical only, and says so in the log.
 */
export async function openRetriever(options: OpenRetrieverOptions): Promise<HybridRetriever> {
  const { knowledge, dataDir, embedder, log } = options;
  const chunks = chunksOf(knowledge);
  let dense: DenseIndex | undefined;
  try {
    dense = await openDenseIndex({
      dir: join(dataDir, 'index'),
      embedder,
      contentHash: knowledge.contentHash,
      chunks: chunks.map((chunk) => ({ id: chunk.id, text: embeddingText(chunk) })),
      ...(log ? { log } : {}),
    });
  } catch (error) {
    log?.warn({ err: (error as Error).message, embedder: embedder.id }, 'vector index unavailable; search is lexical only');
  }
  return new HybridRetriever(chunks, embedder, dense, {
    ...(options.words ? { words: options.words } : {}),
    ...(log ? { log } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
}
