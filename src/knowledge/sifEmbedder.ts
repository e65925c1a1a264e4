import type { Embedder, WordVectors } from '../core/ports/embedder.js';
import { isStopWord, stem, words } from '../text/tokenize.js';
import { LocalWordVectors } from './wordVectors.js';

/**
 * Sentence vectors as smooth-inverse-frequency (SIF) weighted averages of word vectors:
 * each word counts a / (a + p(w)), so "the" barely moves the vector and "calibration" dominates it.
 * The vectors carry no counts, only frequency ranks, so p(w) comes from Zipf's law:
 * p(rank r) = 1 / ((r + 1) * H), with H the harmonic number of the vocabulary size.
 *
 * Words missing from the vocabulary are looked up as spelling variants (plural, tense, British
 * spelling, Porter stem) and as compounds ("hyperparameter" = "hyper" + "parameter"). What is still
 * unknown gets a pseudo-random vector derived from the word itself, so a rare term shared by the
 * query and a passage (e.g. "xgboost") still pulls them together.
 */

export interface SifOptions {
  /** The SIF smoothing constant; smaller values suppress frequent words harder. */
  a?: number;
  /** Weight of an out-of-vocabulary word's pseudo-random vector (0 disables it). */
  unknownWeight?: number;
}

/** Tuned on the retrieval dev set (1e-4 .. 3e-3 are within one query of each other). */
export const DEFAULT_SIF_A = 3e-4;
const DEFAULT_UNKNOWN_WEIGHT = 0.5;
/** Bump when the tokenisation, weighting or OOV handling changes: the vector index keys on the id. */
const METHOD_VERSION = 2;
/** Zipf normaliser for the vocabulary when it is not known (341k words). */
const DEFAULT_VOCABULARY_SIZE = 341_479;
/** Compound halves must be at least this common to be trusted. */
const COMPOUND_MAX_RANK = 120_000;

interface Part {
  row: number;
  /** Known word the row belongs to (general WordVectors path). */
  word: string;
  weight: number;
}

type Resolution = { kind: 'known'; parts: Part[] } | { kind: 'unknown'; word: string };

export class SifEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly a: number;
  private readonly unknownWeight: number;
  private readonly harmonic: number;
  private readonly resolved = new Map<string, Resolution>();

  constructor(
    /** The word vectors behind the sentence vectors (the retriever also uses them as a dictionary). */
    readonly vectors: WordVectors & { readonly id?: string; readonly size?: number },
    options: SifOptions = {},
  ) {
    this.a = options.a ?? DEFAULT_SIF_A;
    this.unknownWeight = options.unknownWeight ?? DEFAULT_UNKNOWN_WEIGHT;
    this.dimensions = vectors.dimensions;
    const size = vectors.size ?? DEFAULT_VOCABULARY_SIZE;
    this.harmonic = Math.log(size) + 0.5772156649;
    this.id = `sif-v${METHOD_VERSION}-a${this.a}-u${this.unknownWeight}:${vectors.id ?? `vectors-${this.dimensions}d`}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedText(text));
  }

  /** Synchronous form of `embed` for one text; a zero vector when no word is usable. */
  embedText(text: string): Float32Array {
    const out = new Float32Array(this.dimensions);
    for (const token of words(text)) {
      if (isStopWord(token)) continue;
      const resolution = this.resolve(token);
      if (resolution.kind === 'known') {
        for (const part of resolution.parts) this.add(part, out);
      } else if (this.unknownWeight > 0) {
        addPseudoRandom(resolution.word, this.unknownWeight, out);
      }
    }
    let norm = 0;
    for (const value of out) norm += value * value;
    if (norm > 0) {
      const inverse = 1 / Math.sqrt(norm);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inverse;
    }
    return out;
  }

  /** The SIF weight of a word of this frequency rank. */
  weightOfRank(rank: number): number {
    const probability = 1 / ((rank + 1) * this.harmonic);
    return this.a / (this.a + probability);
  }

  private add(part: Part, out: Float32Array): void {
    const weight = part.weight;
    if (this.vectors instanceof LocalWordVectors) {
      this.vectors.addRow(part.row, weight, out);
      return;
    }
    const vector = this.vectors.vector(part.word);
    if (!vector) return;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (vector[i] as number) * weight;
  }

  private resolve(token: string): Resolution {
    let resolution = this.resolved.get(token);
    if (resolution === undefined) {
      resolution = this.lookup(token);
      if (this.resolved.size > 50_000) this.resolved.clear();
      this.resolved.set(token, resolution);
    }
    return resolution;
  }

  private known(word: string): Part | undefined {
    const row = this.vectors.rank(word);
    return row === undefined ? undefined : { row, word, weight: this.weightOfRank(row) };
  }

  private lookup(token: string): Resolution {
    const direct = this.known(token);
    if (direct) return { kind: 'known', parts: [direct] };

    // "cross-validation", "a/b", "f1-score": the parts, each weighted on its own.
    const pieces = token.split(/[-/.']+/).filter((piece) => piece.length > 0 && !isStopWord(piece));
    if (pieces.length > 1) {
      const parts = pieces.flatMap((piece) => {
        const found = this.lookup(piece);
        return found.kind === 'known' ? found.parts : [];
      });
      if (parts.length > 0) return { kind: 'known', parts };
      return { kind: 'unknown', word: token };
    }

    for (const variant of spellingVariants(token)) {
      const part = this.known(variant);
      if (part) return { kind: 'known', parts: [part] };
    }

    const compound = this.splitCompound(token);
    if (compound) return { kind: 'known', parts: compound };
    return { kind: 'unknown', word: token };
  }

  /** "hyperparameter" -> hyper + parameter; "batchnorm" -> batch + norm. Prefers balanced splits. */
  private splitCompound(token: string): Part[] | undefined {
    if (token.length < 7 || !/^[a-z]+$/.test(token)) return undefined;
    let best: Part[] | undefined;
    let bestBalance = 0;
    for (let cut = 3; cut <= token.length - 3; cut++) {
      const left = this.known(token.slice(0, cut));
      const right = this.known(token.slice(cut)) ?? spellingVariants(token.slice(cut)).map((variant) => this.known(variant)).find(Boolean);
      if (!left || !right || left.row > COMPOUND_MAX_RANK || right.row > COMPOUND_MAX_RANK) continue;
      const balance = Math.min(cut, token.length - cut);
      if (balance > bestBalance) {
        best = [left, right];
        bestBalance = balance;
      }
    }
    return best;
  }
}

/** Likely dictionary forms of an unknown word, most plausible first. */
export function spellingVariants(word: string): string[] {
  const variants: string[] = [];
  const push = (value: string) => {
    if (value.length >= 2 && value !== word && !variants.includes(value)) variants.push(value);
  };
  if (/isation/.test(word)) push(word.replace(/isation/g, 'ization'));
  if (/ise[ds]?$/.test(word)) push(word.replace(/ise([ds]?)$/, 'ize$1'));
  if (/our/.test(word)) push(word.replace(/our/g, 'or'));
  if (word.endsWith('ies')) push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) push(word.slice(0, -2));
  if (word.endsWith('s')) push(word.slice(0, -1));
  if (word.endsWith('ed')) {
    push(word.slice(0, -2));
    push(word.slice(0, -1));
  }
  if (word.endsWith('ing')) {
    push(word.slice(0, -3));
    push(`${word.slice(0, -3)}e`);
  }
  const stemmed = stem(word);
  push(stemmed);
  push(`${stemmed}e`);
  push(`${word}s`);
  push(`${word}ing`);
  if (/[bdgmnprt]$/.test(word)) push(`${word}${word.slice(-1)}ing`);
  return variants;
}

/** Adds a deterministic pseudo-random unit-ish vector for a word (xorshift seeded by FNV-1a). */
function addPseudoRandom(word: string, weight: number, out: Float32Array): void {
  let seed = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    seed ^= word.charCodeAt(i);
    seed = Math.imul(seed, 0x01000193);
  }
  seed >>>= 0;
  if (seed === 0) seed = 1;
  const scale = weight * Math.sqrt(3 / out.length);
  for (let i = 0; i < out.length; i++) {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    // Uniform in [-1, 1): variance 1/3, so the scaled vector has roughly unit length.
    out[i] = (out[i] as number) + ((seed / 0x80000000) - 1) * scale;
  }
}
