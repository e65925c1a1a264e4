/** Turns texts into dense vectors for the vector index. */
export interface Embedder {
  /** Changes whenever vectors would change (model, vocabulary, weighting): the index keys on it. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Word-level vectors for soft word matching in the offline grader. */
export interface WordVectors {
  readonly dimensions: number;
  /** Unit-length vector of a lower-cased word, or undefined when out of vocabulary. */
  vector(word: string): Float32Array | undefined;
  /** Frequency rank (0 = most frequent), or undefined when out of vocabulary. */
  rank(word: string): number | undefined;
}
