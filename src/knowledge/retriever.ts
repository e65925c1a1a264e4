import { join } from 'node:path';
import type { Embedder, WordVectors } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';
import type { Passage, Retriever, SearchOptions } from '../core/ports/retriever.js';
import { contentStems, isStopWord, stem, words } from '../text/tokenize.js';
import { chunksOf, denseUnits, type DenseUnit, type KnowledgeChunk } from './chunks.js';
import { openDenseIndex, type DenseIndex, type DenseIndexMeta } from './denseIndex.js';
import { DEFAULT_BM25, type Bm25Params, type LexicalIndex } from './lexicalIndex.js';
import { SifEmbedder } from './sifEmbedder.js';
import { openLexicalIndex } from './lexicalStore.js';
import type { KnowledgeBase } from './types.js';

/**
 * Hybrid search over note sections: BM25 over stems (with title/heading boosts) and cosine search
 * over embeddings, fused by reciprocal rank fusion. Misspelt query words that are neither in the
 * notes nor in the word-vector vocabulary are replaced by the closest word of the notes first.
 */

/** Chat shorthand that the notes spell out; used only when the notes do not contain the short form. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  ab: 'a/b test',
  k8s: 'kubernetes',
  gbm: 'gradient boosting',
  gbdt: 'gradient boosted trees',
  xgb: 'xgboost',
  lgbm: 'lightgbm',
  rf: 'random forest',
  dnn: 'deep neural network',
  cnn: 'convolutional neural network',
  rnn: 'recurrent neural network',
  nn: 'neural network',
  hparams: 'hyperparameters',
  hyperparams: 'hyperparameters',
  eval: 'evaluation',
  evals: 'evaluation',
  perf: 'performance',
  prod: 'production',
  infra: 'infrastructure',
  dedup: 'deduplication',
  dedupe: 'deduplication',
  oom: 'out of memory',
  acc: 'accuracy',
  recsys: 'recommender system',
  notif: 'notification',
  notifs: 'notifications',
  preds: 'predictions',
  feats: 'features',
};

/**
 * Chat framing and apostrophe-less contractions: they say how to answer, not what about, so they
 * neither rank passages nor count against coverage.
 */
const QUERY_FILLER = new Set(
  `whats thats theres heres im ive id youre dont doesnt didnt cant isnt arent wasnt wont shouldnt wouldnt couldnt
  i've i'd didn't can't won't shouldn't wouldn't couldn't haven't hasn't
  hey hi hello pls plz please thanks thank thx explain tell describe diff difference vs versus eli5 simple simply plain
  words word terms quick quickly short briefly question
  go goes going went gone keep keeps kept need needs want wants wanna gonna trying try guys someone somebody anyone
  wtf lol ugh omg idk tho btw even yet actually really basically literally anyway`
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => stem(word)),
);

/**
 * Chat framings that ask for a style of answer ("like I'm 5", "in plain English", "for dummies"):
 * removed before search, since their words ("5", "plain", "dummies") would match unrelated text.
 */
const ANSWER_STYLE =
  /\b(?:(?:like|as if|as though)\s+(?:i'?m|i am|you'?re|you are|to)\s+(?:a\s+)?(?:5|five|6|six|10|ten|(?:\w+\s+)?(?:child|kid|toddler|beginner|grandma|grandmother|newbie))(?:\s*(?:years?|yrs?)(?:[\s-]*old)?)?|in (?:plain|simple|layman'?s?|everyday|non-?technical) (?:english|words|terms|language)|for (?:dummies|beginners|a beginner|a child|a kid|non-?technical people)|eli5)\b/gi;

/**
 * Everyday phrasings of topics the notes name with a term of art. Unlike ABBREVIATIONS these apply
 * whenever the phrase occurs: the added words join the query, the original words stay.
 */
const QUERY_EXPANSIONS: readonly { pattern: RegExp; adds: string }[] = [
  // "how many users / samples do I need" is a sample-size question.
  { pattern: /\bhow (?:many|much) (?:users?|people|visitors?|customers?|samples?|subjects?|observations?|participants?|traffic|data)\b/i, adds: 'sample size' },
  // "pick / select k" -> the notes' "choosing k".
  { pattern: /\b(?:pick|picking|select|selecting|decide on)\b/i, adds: 'choosing' },
  // Workplace audiences are the notes' "stakeholders".
  { pattern: /\b(?:manager|boss|leadership|execs?|executives?|pm|product manager|business people|clients?|non-?technical)\b/i, adds: 'stakeholders' },
  // Fine-tuning a pre-trained model is transfer learning.
  { pattern: /\b(?:fine[- ]?tun(?:e|es|ed|ing)|finetun(?:e|es|ed|ing))\b/i, adds: 'fine-tuning transfer learning pre-trained' },
  // "how to speed up / make X faster" is about latency.
  { pattern: /\b(?:speed up|faster|too slow)\b.*\b(?:serving|inference|prediction|endpoint|api)\b|\b(?:serving|inference|prediction|endpoint|api)\b.*\b(?:speed up|faster|too slow)\b/i, adds: 'latency' },
];

/** Expansion words count this much of a word the user typed: they steer, they do not take over. */
const EXPANSION_WEIGHT = 0.5;

/** The query as searched: answer-style framings removed; everyday phrasings expanded separately. */
export function normaliseQuery(text: string): { text: string; expansion: string } {
  const stripped = text.replace(ANSWER_STYLE, ' ').replace(/\s+/g, ' ').trim();
  const expansion = QUERY_EXPANSIONS.filter(({ pattern }) => pattern.test(stripped))
    .map(({ adds }) => adds)
    .join(' ');
  return { text: stripped, expansion };
}

/**
 * Stems of the words that triggered an expansion ("boss" -> stakeholders): when the notes lack such a
 * word, the expansion stands in for it instead of it counting as an uncovered part of the question.
 */
function expandedStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const { pattern } of QUERY_EXPANSIONS) {
    const match = pattern.exec(text);
    if (match) for (const term of contentStems(match[0])) stems.add(term);
  }
  return stems;
}

/** Content stems of a query, without chat filler. */
function queryStems(text: string): string[] {
  return contentStems(withIdentifierParts(text)).filter((term) => !QUERY_FILLER.has(term));
}

/**
 * Code identifiers are one token ("model.eval()", "df.groupby"), while headings and prose name their
 * parts ("train/eval mode", "groupby"): the parts are searched too, beside the whole identifier.
 */
function withIdentifierParts(text: string): string {
  const parts = text.match(/\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+/gi);
  return parts ? `${text} ${parts.map((part) => part.replace(/[._]/g, ' ')).join(' ')}` : text;
}

export interface RetrieverTuning extends Bm25Params {
  /** RRF constant: larger values flatten the difference between ranks. */
  rrfK: number;
  lexicalWeight: number;
  denseWeight: number;
  /** How many dense neighbours take part in the fusion. */
  candidates: number;
  /** Sentences per extra dense unit of a section (0: one vector per section). */
  windowSentences: number;
  /** Multiplies denseWeight when the top lexical hit shares no word with its own title, tags or heading. */
  offTopicDenseBoost: number;
  /** Share of a note's best other section score added to each of its sections (hybrid mode; 0 = off: 0.1 raised MRR but cost hit@3 and key-point recall). */
  noteWeight: number;
}

/**
 * Tuned on tests/fixtures/retrieval-dev.yaml with the local SIF embedder, whose dense ranking is
 * much weaker than BM25 (hit@3 ~0.75 vs ~0.95): dense votes at 0.3 weight and mostly reorders the
 * lexical top. Hosted embedders get `HOSTED_EMBEDDER_TUNING`.
 */
export const DEFAULT_TUNING: RetrieverTuning = { ...DEFAULT_BM25, rrfK: 5, lexicalWeight: 1, denseWeight: 0.3, candidates: 50, windowSentences: 1, offTopicDenseBoost: 2, noteWeight: 0 };

/**
 * For embedders other than the local SIF one (OpenAI-compatible models): plain RRF, and one vector
 * per section, since such models read a whole section well and a rebuild then costs ~600 requests'
 * worth of text instead of ~3,500 (which matters for a local Ollama on a CPU). Not measured here.
 */
const HOSTED_EMBEDDER_TUNING: Partial<RetrieverTuning> = { denseWeight: 1, windowSentences: 0 };

/** A passage with the signals behind its rank (for answer building and evaluation). */
export interface ScoredPassage extends Passage {
  lexicalRank?: number;
  lexicalScore?: number;
  denseRank?: number;
  similarity?: number;
  /** Share (0..1) of the query's idf-weighted content words that occur in this passage. */
  coverage: number;
  /** The same share counted over the note title, tags and section heading only: is this its topic? */
  headingCoverage: number;
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
  /**
   * Known English words are never "corrected" into note words. Defaults to the local embedder's
   * vectors; pass them with other embedders too, else any unknown word of 5+ letters may be.
   */
  words?: WordVectors;
  log?: Logger;
  tuning?: Partial<RetrieverTuning>;
}

export class HybridRetriever implements ScoringRetriever {
  private readonly tuning: RetrieverTuning;

  constructor(
    private readonly chunks: readonly KnowledgeChunk[],
    /** BM25 over the same chunks, in the same order. */
    private readonly lexical: LexicalIndex,
    /** Label -> chunk index for the vector index. */
    private readonly units: readonly DenseUnit[],
    private readonly embedder: Embedder,
    /** Undefined when the embedder failed while building: search is then lexical only. */
    private readonly dense: DenseIndex | undefined,
    private readonly options: { words?: WordVectors; log?: Logger; tuning?: Partial<RetrieverTuning>; lexicalOrigin?: 'built' | 'loaded' } = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /** How the vector index was obtained on this start, or undefined when dense search is off. */
  get index(): { origin: 'built' | 'loaded'; meta: DenseIndexMeta } | undefined {
    return this.dense ? { origin: this.dense.origin, meta: this.dense.meta } : undefined;
  }

  get size(): number {
    return this.chunks.length;
  }

  /** Whether the BM25 index was built on this start or loaded from `<dataDir>/index/`. */
  get lexicalOrigin(): 'built' | 'loaded' {
    return this.options.lexicalOrigin ?? 'built';
  }

  async search(query: string, options: SearchOptions = {}): Promise<Passage[]> {
    const scored = await this.searchScored(query, options);
    return scored.map(({ id, noteId, title, section, area, path, text, score }) => ({ id, noteId, title, section, area, path, text, score }));
  }

  async searchScored(query: string, options: SearchOptions = {}): Promise<ScoredPassage[]> {
    const k = Math.max(1, options.k ?? 5);
    const mode = options.mode ?? 'hybrid';
    const allow = this.filter(options);
    const normalised = normaliseQuery(this.repairSpelling(query));
    const typed = this.typedStems(normalised);
    const added = queryStems(normalised.expansion).filter((term) => !typed.includes(term));
    const stems = [...typed, ...added];
    const termWeights = added.length > 0 ? new Map(added.map((term) => [term, EXPANSION_WEIGHT])) : undefined;
    const text = normalised.expansion ? `${normalised.text} ${normalised.expansion}` : normalised.text;

    const lexicalHits = mode === 'dense' ? [] : this.lexical.search(stems, allow, termWeights);
    let denseHits: { label: number; similarity: number }[] = [];
    if (mode !== 'lexical' && this.dense && text.trim()) {
      try {
        const [vector] = await this.embedder.embed([text]);
        if (vector) denseHits = this.denseSearch(vector, allow);
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
    const weights = this.weigh(stems, termWeights);
    const totalWeight = weights.reduce((sum, term) => sum + term.weight, 0);
    const shareIn = (has: (term: string) => boolean) =>
      totalWeight > 0 ? weights.reduce((sum, term) => sum + (has(term.stem) ? term.weight : 0), 0) / totalWeight : 0;

    // When the best lexical match is a passing mention (no query word in its note title, tags or
    // heading: "ready" in a section on readiness probes), BM25 is guessing and the embedding gets more say.
    const topLexical = lexicalHits[0];
    const lexicalOffTopic = topLexical !== undefined && shareIn((term) => this.lexical.topicStemsOf(topLexical.doc).has(term)) === 0;
    const denseWeight = lexicalOffTopic ? this.tuning.denseWeight * this.tuning.offTopicDenseBoost : this.tuning.denseWeight;
    denseHits.forEach((hit, index) => {
      const value = entry(hit.label);
      value.denseRank = index + 1;
      value.similarity = hit.similarity;
      value.score += mode === 'dense' ? hit.similarity : denseWeight / (this.tuning.rrfK + index + 1);
    });
    // Note-level evidence: a section of a note whose other sections also match is more likely on the
    // note's topic than a lone section of an unrelated note that shares a word ("attention" in a
    // section on explanations vs the transformer note). Adds a share of the note's next-best section.
    if (mode === 'hybrid' && this.tuning.noteWeight > 0) {
      const byNote = new Map<string, number[]>();
      for (const [doc, value] of fused) {
        const noteId = (this.chunks[doc] as KnowledgeChunk).noteId;
        const list = byNote.get(noteId) ?? [];
        list.push(value.score);
        byNote.set(noteId, list);
      }
      for (const list of byNote.values()) list.sort((a, b) => b - a);
      for (const [doc, value] of fused) {
        const list = byNote.get((this.chunks[doc] as KnowledgeChunk).noteId) as number[];
        const other = list[0] === value.score ? (list[1] ?? 0) : (list[0] as number);
        value.score += this.tuning.noteWeight * other;
      }
    }
    return [...fused]
      .sort(([docA, a], [docB, b]) => b.score - a.score || docA - docB)
      .slice(0, k)
      .map(([doc, signals]) => {
        const chunk = this.chunks[doc] as KnowledgeChunk;
        return {
          id: chunk.id,
          noteId: chunk.noteId,
          title: chunk.title,
          section: chunk.section,
          area: chunk.area,
          path: chunk.path,
          text: chunk.text,
          ...signals,
          coverage: shareIn((term) => this.lexical.contains(doc, term)),
          headingCoverage: shareIn((term) => this.lexical.topicStemsOf(doc).has(term)),
        };
      });
  }

  /** Nearest units, folded to their chunks (best unit per chunk), best first. */
  private denseSearch(vector: Float32Array, allow?: (doc: number) => boolean): { label: number; similarity: number }[] {
    if (!this.dense) return [];
    const perChunk = Math.max(1, this.units.length / Math.max(1, this.chunks.length));
    const unitAllow = allow ? (label: number) => allow(this.units[label]?.chunk ?? -1) : undefined;
    const hits = this.dense.search(vector, Math.ceil(this.tuning.candidates * perChunk), unitAllow);
    const best = new Map<number, number>();
    for (const hit of hits) {
      const chunk = this.units[hit.label]?.chunk;
      if (chunk !== undefined && !best.has(chunk)) best.set(chunk, hit.similarity);
    }
    return [...best].slice(0, this.tuning.candidates).map(([label, similarity]) => ({ label, similarity }));
  }

  queryTerms(query: string): { stem: string; weight: number }[] {
    const normalised = normaliseQuery(this.repairSpelling(query));
    const typed = this.typedStems(normalised);
    const added = queryStems(normalised.expansion).filter((term) => !typed.includes(term));
    return this.weigh([...typed, ...added], new Map(added.map((term) => [term, EXPANSION_WEIGHT])));
  }

  /** The query's own stems, less words the notes lack that an expansion stands in for. */
  private typedStems(normalised: { text: string; expansion: string }): string[] {
    const typed = queryStems(normalised.text);
    if (!normalised.expansion) return typed;
    const standIns = expandedStems(normalised.text);
    return typed.filter((term) => !standIns.has(term) || this.lexical.hasTerm(term));
  }

  /**
   * Idf weights (scaled for expansion words); numbers the notes do not contain ("0.97", "7b") are
   * specifics, not topics, and drop out.
   */
  private weigh(stems: readonly string[], scale?: ReadonlyMap<string, number>): { stem: string; weight: number }[] {
    return [...new Set(stems)]
      .filter((term) => !/\d/.test(term) || this.lexical.hasTerm(term))
      .map((term) => ({ stem: term, weight: this.lexical.idf(term) * (scale?.get(term) ?? 1) }));
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

  /**
   * Rewrites query words the notes do not contain: chat abbreviations ("k8s"), joined or split
   * spellings ("kmeans", "batchnorm") and typos ("precison"). Real English words the notes happen
   * not to use are left alone, so an off-topic question stays off-topic.
   */
  repairSpelling(query: string): string {
    const vocabulary = this.options.words;
    let changed = false;
    const repaired = words(query).map((word) => {
      if (isStopWord(word) || this.lexical.hasTerm(stem(word))) return word;
      const alias = ABBREVIATIONS[word];
      if (alias !== undefined) {
        changed = true;
        return alias;
      }
      const joined = /^[a-z0-9]+$/.test(word) ? this.lexical.repairWord(word) : undefined;
      if (joined === undefined) return word;
      // A known English word is only replaced by a hyphenated form of itself ("tsne" -> "t-sne").
      const known = vocabulary ? vocabulary.rank(word) !== undefined : word.length < 5;
      if (known && joined.replace(/-/g, '') !== word) return word;
      changed = true;
      return joined;
    });
    return changed ? repaired.join(' ') : query;
  }
}

/**
 * Builds the retriever from `<dataDir>/index/`: the BM25 index and the vector index are loaded when
 * they match the knowledge (and embedder), else rebuilt and saved. If the embedder fails while building, the
 * retriever still works, lexical only, and says so in the log.
 */
export async function openRetriever(options: OpenRetrieverOptions): Promise<HybridRetriever> {
  const { knowledge, dataDir, embedder, log } = options;
  const tuning: RetrieverTuning = { ...DEFAULT_TUNING, ...(embedder instanceof SifEmbedder ? {} : HOSTED_EMBEDDER_TUNING), ...options.tuning };
  const chunks = chunksOf(knowledge);
  const indexDir = join(dataDir, 'index');
  const lexical = openLexicalIndex({
    dir: indexDir,
    contentHash: knowledge.contentHash,
    chunkIds: chunks.map((chunk) => chunk.id),
    documents: chunks.map((chunk) => ({ title: `${chunk.title} ${chunk.tags.join(' ')}`, heading: chunk.section, body: chunk.text })),
    params: { k1: tuning.k1, b: tuning.b, titleBoost: tuning.titleBoost, headingBoost: tuning.headingBoost },
    ...(log ? { log } : {}),
  });
  const units = denseUnits(chunks, tuning.windowSentences);
  let dense: DenseIndex | undefined;
  try {
    dense = await openDenseIndex({
      dir: indexDir,
      embedder,
      contentHash: knowledge.contentHash,
      chunks: units.map((unit) => ({ id: unit.id, text: unit.text })),
      ...(log ? { log } : {}),
    });
  } catch (error) {
    log?.warn({ err: (error as Error).message, embedder: embedder.id }, 'vector index unavailable; search is lexical only');
  }
  const words = options.words ?? (embedder instanceof SifEmbedder ? embedder.vectors : undefined);
  return new HybridRetriever(chunks, lexical.index, units, embedder, dense, {
    lexicalOrigin: lexical.origin,
    ...(words ? { words } : {}),
    ...(log ? { log } : {}),
    tuning,
  });
}
