import { contentStems, isStopWord, words } from '../text/tokenize.js';

/**
 * BM25 over content-word stems with field boosts (a simplified BM25F): a term in the note title,
 * tags or section heading counts as `titleBoost` / `headingBoost` occurrences, and those fields add
 * to the document length the same way.
 */

export interface LexicalFields {
  /** Note title plus tags. */
  title: string;
  heading: string;
  body: string;
}

export interface Bm25Params {
  k1: number;
  b: number;
  titleBoost: number;
  headingBoost: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75, titleBoost: 3, headingBoost: 2 };

export interface LexicalHit {
  doc: number;
  score: number;
}

/** Everything a LexicalIndex holds, as plain JSON (persisted beside the vector index). */
export interface LexicalSnapshot {
  params: Bm25Params;
  lengths: number[];
  /** [term, docs, weighted term frequencies] (arrays parse much faster than a 4k-key object) */
  postings: [string, number[], number[]][];
  /** [surface word, replacement, frequency] */
  surface: [string, string, number][];
  /** Per document: stems of the title (with tags) and heading fields. */
  topics: string[][];
}

export class LexicalIndex {
  /** stem -> postings as parallel arrays of doc number and weighted term frequency. */
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  /**
   * Surface words of the corpus (lower-case, hyphenated words also joined: "kmeans" for "k-means")
   * -> the text to search instead and how common it is, for spelling repair.
   */
  private readonly surface = new Map<string, { replacement: string; frequency: number }>();
  /** Stems of each document's title and heading: what it is about. */
  private readonly topics: Set<string>[];

  private constructor(
    private readonly params: Bm25Params,
    lengths: readonly number[],
    postings: Iterable<[string, { docs: number[]; tfs: number[] }]>,
    surface: Iterable<[string, { replacement: string; frequency: number }]>,
    topics: readonly (readonly string[])[],
  ) {
    this.lengths = Float64Array.from(lengths);
    for (const [term, posting] of postings) this.postings.set(term, posting);
    for (const [word, entry] of surface) this.surface.set(word, entry);
    this.topics = topics.map((stems) => new Set(stems));
    let total = 0;
    for (const length of this.lengths) total += length;
    this.averageLength = this.lengths.length > 0 ? total / this.lengths.length : 1;
  }

  static build(documents: readonly LexicalFields[], params: Bm25Params = DEFAULT_BM25): LexicalIndex {
    const postings = new Map<string, { docs: number[]; tfs: number[] }>();
    const lengths: number[] = [];
    const topics: string[][] = [];
    const surfaceWords = new Map<string, string>();
    documents.forEach((document, doc) => {
      const counts = new Map<string, number>();
      let length = 0;
      const addField = (text: string, boost: number): string[] => {
        const stems = contentStems(text);
        for (const term of stems) counts.set(term, (counts.get(term) ?? 0) + boost);
        length += stems.length * boost;
        return stems;
      };
      const title = addField(document.title, params.titleBoost);
      const heading = addField(document.heading, params.headingBoost);
      addField(document.body, 1);
      lengths.push(length);
      topics.push([...new Set([...title, ...heading])]);
      for (const [term, tf] of counts) {
        let posting = postings.get(term);
        if (!posting) {
          posting = { docs: [], tfs: [] };
          postings.set(term, posting);
        }
        posting.docs.push(doc);
        posting.tfs.push(tf);
      }
      for (const word of words(`${document.title} ${document.heading} ${document.body}`)) {
        for (const part of word.split('-')) if (/^[a-z]{3,}$/.test(part) && !isStopWord(part)) surfaceWords.set(part, part);
        if (/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(word)) surfaceWords.set(word.replace(/-/g, ''), word);
      }
    });
    const surface: [string, { replacement: string; frequency: number }][] = [];
    for (const [word, replacement] of surfaceWords) {
      const frequency = Math.min(...contentStems(replacement).map((term) => postings.get(term)?.docs.length ?? 0));
      surface.push([word, { replacement, frequency: Number.isFinite(frequency) ? frequency : 0 }]);
    }
    return new LexicalIndex(params, lengths, postings, surface, topics);
  }

  static fromSnapshot(snapshot: LexicalSnapshot): LexicalIndex {
    return new LexicalIndex(
      snapshot.params,
      snapshot.lengths,
      snapshot.postings.map(([term, docs, tfs]): [string, { docs: number[]; tfs: number[] }] => [term, { docs, tfs }]),
      snapshot.surface.map(([word, replacement, frequency]): [string, { replacement: string; frequency: number }] => [word, { replacement, frequency }]),
      snapshot.topics,
    );
  }

  snapshot(): LexicalSnapshot {
    return {
      params: this.params,
      lengths: Array.from(this.lengths),
      postings: [...this.postings].map(([term, { docs, tfs }]) => [term, docs, tfs]),
      surface: [...this.surface].map(([word, { replacement, frequency }]) => [word, replacement, frequency]),
      topics: this.topics.map((stems) => [...stems]),
    };
  }

  topicStemsOf(doc: number): ReadonlySet<string> {
    return this.topics[doc] ?? new Set();
  }

  get size(): number {
    return this.lengths.length;
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** BM25 idf; terms absent from the corpus get the largest possible value. */
  idf(term: string): number {
    const n = this.size;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  hasTerm(term: string): boolean {
    return this.postings.has(term);
  }

  /** Whether a document contains a stem in any field (postings are sorted by doc: binary search). */
  contains(doc: number, term: string): boolean {
    const docs = this.postings.get(term)?.docs;
    if (!docs) return false;
    let low = 0;
    let high = docs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const value = docs[middle] as number;
      if (value === doc) return true;
      if (value < doc) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** Ranked documents with a positive score, best first; `termWeights` scales a term's idf (default 1). */
  search(queryStems: readonly string[], allow?: (doc: number) => boolean, termWeights?: ReadonlyMap<string, number>): LexicalHit[] {
    const { k1, b } = this.params;
    const scores = new Map<number, number>();
    for (const term of new Set(queryStems)) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term) * (termWeights?.get(term) ?? 1);
      for (let i = 0; i < posting.docs.length; i++) {
        const doc = posting.docs[i] as number;
        if (allow && !allow(doc)) continue;
        const tf = posting.tfs[i] as number;
        const norm = k1 * (1 - b + (b * (this.lengths[doc] as number)) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
      }
    }
    return [...scores].map(([doc, score]) => ({ doc, score })).sort((x, y) => y.score - x.score || x.doc - y.doc);
  }

  /**
   * What to search instead of a word the corpus does not contain: the hyphenated form ("kmeans" ->
   * "k-means"), the closest corpus word (edit distance 1, or 2 for words of 8+ letters, preferring
   * common words), or two corpus words it is made of ("batchnorm" -> "batch norm").
   */
  repairWord(word: string): string | undefined {
    if (word.length < 4 || !/^[a-z0-9]+$/.test(word)) return undefined;
    const exact = this.surface.get(word);
    if (exact) return exact.replacement;
    if (!/^[a-z]+$/.test(word)) return undefined;
    const maxDistance = word.length >= 8 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = maxDistance + 1;
    let bestFrequency = -1;
    for (const [candidate, { replacement, frequency }] of this.surface) {
      if (Math.abs(candidate.length - word.length) > maxDistance) continue;
      const distance = editDistance(word, candidate, maxDistance);
      if (distance > maxDistance) continue;
      if (distance < bestDistance || (distance === bestDistance && frequency > bestFrequency)) {
        best = replacement;
        bestDistance = distance;
        bestFrequency = frequency;
      }
    }
    if (best !== undefined) return best;
    for (let cut = 3; cut <= word.length - 3; cut++) {
      const left = this.surface.get(word.slice(0, cut));
      const right = this.surface.get(word.slice(cut));
      if (left && right) return `${left.replacement} ${right.replacement}`;
    }
    return undefined;
  }
}

/** Optimal-string-alignment distance (adjacent swaps count 1), cut off above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let previous2 = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = new Array<number>(cols).fill(0);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previous2[j - 2] as number) + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[cols - 1] as number;
}
