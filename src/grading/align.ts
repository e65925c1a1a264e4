import type { WordVectors } from '../core/ports/embedder.js';
import type { AnalyzedText, Token } from './analyze.js';
import type { PreparedItem, PreparedRubric, PreparedVariant, SoftMatch } from './prepare.js';
import { ACRONYM_CREDIT, areAntonyms, initials, looksLikeAcronym, softCredit, typoCredit } from './wordMatch.js';

/**
 * Alignment of rubric terms to answer tokens (after Sultan, Salazar & Sumner 2016): each rubric
 * term is aligned to its best answer token by stem, typo, acronym or word-vector similarity; a
 * variant's coverage is the weighted share of its terms aligned within one sentence or a window
 * over two adjacent sentences.
 */

/** An answer token that can supply a rubric term, with the credit it earns. */
export interface Candidate {
  position: number;
  sentence: number;
  negated: boolean;
  credit: number;
}

/** One variant term aligned to one answer token. */
export interface AlignedTerm {
  /** Index into the variant's `uses`. */
  use: number;
  /** Content-token position in the answer. */
  position: number;
  credit: number;
}

export interface VariantCoverage {
  /** Weighted share of the variant's terms aligned, 0..1. */
  coverage: number;
  aligned: AlignedTerm[];
  /** Sentences holding the aligned tokens (inclusive), or undefined when nothing aligned. */
  firstSentence: number | undefined;
  lastSentence: number | undefined;
}

export interface ItemCoverage extends VariantCoverage {
  variant: number;
}

/** Share of a variant's non-question weight that must be aligned before question words add credit. */
const QUESTION_WORDS_NEED = 0.25;
/** Soft-match cache entries per rubric before it is reset. */
const SOFT_CACHE_LIMIT = 20_000;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function softMatches(prepared: PreparedRubric, token: Token, vectors: WordVectors): readonly SoftMatch[] {
  const key = token.upper ? `${token.word}^` : token.word;
  const cached = prepared.softCache.get(key);
  if (cached) return cached;
  const matches: SoftMatch[] = [];
  const rank = vectors.rank(token.word);
  const vector = vectors.vector(token.word);
  // Question words in the answer may still match themselves exactly, but do not soft-match others.
  const echo = prepared.questionStems.has(token.stem);
  const answerFacts = { word: token.word, stem: token.stem, rank };
  prepared.terms.forEach((term, index) => {
    if (term.stem === token.stem) return;
    let credit = typoCredit(term, answerFacts);
    if (!echo && vector && term.vector && !areAntonyms(term.word, token.word)) {
      credit = Math.max(credit, softCredit(dot(vector, term.vector)));
    }
    if (credit > 0) matches.push({ term: index, credit });
  });
  if (looksLikeAcronym(token.word, rank, token.upper)) {
    for (const term of prepared.acronymRuns.get(token.word) ?? []) {
      const existing = matches.find((match) => match.term === term);
      if (existing) existing.credit = Math.max(existing.credit, ACRONYM_CREDIT);
      else matches.push({ term, credit: ACRONYM_CREDIT });
    }
  }
  if (prepared.softCache.size >= SOFT_CACHE_LIMIT) prepared.softCache.clear();
  prepared.softCache.set(key, matches);
  return matches;
}

/** For every rubric term, the answer tokens that can supply it. */
export function findCandidates(prepared: PreparedRubric, answer: AnalyzedText, vectors: WordVectors): Candidate[][] {
  const candidates: Candidate[][] = prepared.terms.map(() => []);
  const add = (term: number, token: Token, credit: number) => {
    const list = candidates[term] as Candidate[];
    const last = list[list.length - 1];
    if (last && last.position === token.position) {
      if (credit > last.credit) last.credit = credit;
      return;
    }
    list.push({ position: token.position, sentence: token.sentence, negated: token.negated, credit });
  };
  for (const token of answer.tokens) {
    const exact = prepared.termByStem.get(token.stem);
    if (exact !== undefined) add(exact, token, 1);
    for (const match of softMatches(prepared, token, vectors)) add(match.term, token, match.credit);
  }
  // Rubric acronyms spelled out in the answer: "pr auc" <- "precision-recall AUC".
  for (const termIndex of prepared.acronymTerms) {
    const term = prepared.terms[termIndex];
    if (!term) continue;
    const length = term.word.length;
    for (let start = 0; start + length <= answer.tokens.length; start += 1) {
      const run = answer.tokens.slice(start, start + length);
      const adjacent = run.every((token, index) => index === 0 || (token.sentence === (run[0] as Token).sentence && token.slot === (run[index - 1] as Token).slot + 1));
      if (!adjacent) continue;
      if (initials(run.map((token) => token.word)) === term.word) add(termIndex, run[0] as Token, ACRONYM_CREDIT);
    }
  }
  for (const list of candidates) list.sort((a, b) => a.position - b.position || b.credit - a.credit);
  return candidates;
}

/** Count of content tokens per sentence whose stem is not in the question. */
export function newContentPerSentence(prepared: PreparedRubric, answer: AnalyzedText): number[] {
  const counts = answer.sentences.map(() => 0);
  for (const token of answer.tokens) {
    if (!prepared.questionStems.has(token.stem)) counts[token.sentence] = (counts[token.sentence] ?? 0) + 1;
  }
  return counts;
}

/**
 * Best coverage of one variant by a window of the answer: at most `variant.window` content tokens
 * within `sentences` consecutive sentences (2 for key points, whose wording may spill over; 1 for
 * misconceptions, which are asserted in one sentence).
 */
export function coverVariant(variant: PreparedVariant, candidates: readonly Candidate[][], newContent: readonly number[], sentences: 1 | 2): VariantCoverage {
  const lists = variant.uses.map((use) => (candidates[use.term] ?? []).filter((candidate) => candidate.negated === use.negated));
  const anchors = [...new Set(lists.flatMap((list) => list.map((candidate) => candidate.position)))].sort((a, b) => a - b);
  const sentenceOf = new Map<number, number>();
  for (const list of lists) for (const candidate of list) sentenceOf.set(candidate.position, candidate.sentence);
  let best: VariantCoverage = { coverage: 0, aligned: [], firstSentence: undefined, lastSentence: undefined };
  const positions = new Array<number>(variant.uses.length).fill(-1);
  const credits = new Array<number>(variant.uses.length).fill(0);
  for (const anchor of anchors) {
    const firstSentence = sentenceOf.get(anchor) ?? 0;
    const end = anchor + variant.window;
    let nonQuestion = 0;
    let question = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = -1;
    variant.uses.forEach((use, index) => {
      let credit = 0;
      let sentence = -1;
      let position = -1;
      for (const candidate of lists[index] as Candidate[]) {
        if (candidate.position < anchor) continue;
        if (candidate.position >= end || candidate.sentence >= firstSentence + sentences) break;
        if (candidate.credit > credit) {
          credit = candidate.credit;
          sentence = candidate.sentence;
          position = candidate.position;
        }
      }
      positions[index] = position;
      credits[index] = credit;
      if (credit === 0) return;
      if (use.inQuestion) question += use.weight * credit;
      else nonQuestion += use.weight * credit;
      first = Math.min(first, sentence);
      last = Math.max(last, sentence);
    });
    if (last < 0) continue;
    let earned = nonQuestion;
    if (variant.nonQuestionWeight > 0 && nonQuestion >= QUESTION_WORDS_NEED * variant.nonQuestionWeight) earned += question;
    if (variant.allQuestion) {
      // Only question words to match: credit them only when the answer says something new around them.
      let added = 0;
      for (let s = first; s <= last; s += 1) added += newContent[s] ?? 0;
      if (added < 2) earned = 0;
    }
    const coverage = variant.totalWeight > 0 ? earned / variant.totalWeight : 0;
    if (coverage > best.coverage) {
      const aligned = positions.flatMap((position, use) => (position >= 0 ? [{ use, position, credit: credits[use] as number }] : []));
      best = { coverage, aligned, firstSentence: first, lastSentence: last };
    }
  }
  return best;
}

/** Best coverage over an item's variants (its text and each `match` alternative). */
export function coverItem(item: PreparedItem, candidates: readonly Candidate[][], newContent: readonly number[], sentences: 1 | 2): ItemCoverage {
  let best: ItemCoverage = { coverage: 0, aligned: [], firstSentence: undefined, lastSentence: undefined, variant: -1 };
  item.variants.forEach((variant, index) => {
    const result = coverVariant(variant, candidates, newContent, sentences);
    if (result.coverage > best.coverage) best = { ...result, variant: index };
  });
  return best;
}
