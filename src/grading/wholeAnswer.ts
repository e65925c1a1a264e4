import type { AnalyzedText } from './analyze.js';
import type { Candidate } from './align.js';
import type { PreparedRubric } from './prepare.js';
import { termImportance } from './wordMatch.js';

/**
 * Whole-answer alignment (after Sultan, Salazar & Sumner 2016): every reference content word not
 * taken from the question is aligned one-to-one to its best answer word (stem, typo, acronym,
 * synonym or word vector); coverage is the importance-weighted share of reference words aligned,
 * precision the share of the answer's own content words that align to some reference word.
 * Unlike per-point matching it ignores where in the answer the words are, so a short answer that
 * says the key thing in its own order still earns credit.
 */
export interface WholeAnswerAlignment {
  /** Weighted share of the reference's own (non-question) words aligned, 0..1. */
  coverage: number;
  /** Share of the answer's own content words aligned to a reference word, 0..1. */
  precision: number;
  /** Distinct content stems of the answer that are not in the question. */
  answerWords: number;
}

/** Word-vector neighbours count for less than the words themselves. */
const SOFT_FACTOR = 0.75;

export function alignWholeAnswer(prepared: PreparedRubric, answer: AnalyzedText, candidates: readonly Candidate[][]): WholeAnswerAlignment {
  const own = prepared.terms.map((term, index) => ({ term, index })).filter(({ term }) => !term.inQuestion);
  const answerOwn = new Set(answer.tokens.filter((token) => !prepared.questionStems.has(token.stem)).map((token) => token.position));
  const answerWords = new Set(answer.tokens.filter((token) => !prepared.questionStems.has(token.stem)).map((token) => token.stem)).size;
  if (own.length === 0) return { coverage: 0, precision: 0, answerWords };
  // Greedy one-to-one alignment: strongest pairs first.
  const pairs: { term: number; position: number; credit: number }[] = [];
  for (const { index } of own) {
    for (const candidate of candidates[index] ?? []) {
      const credit = candidate.lexical ? candidate.credit : candidate.credit * SOFT_FACTOR;
      if (credit > 0) pairs.push({ term: index, position: candidate.position, credit });
    }
  }
  pairs.sort((a, b) => b.credit - a.credit || a.term - b.term || a.position - b.position);
  const termCredit = new Map<number, number>();
  const used = new Set<number>();
  for (const pair of pairs) {
    if (termCredit.has(pair.term) || used.has(pair.position)) continue;
    termCredit.set(pair.term, pair.credit);
    used.add(pair.position);
  }
  let total = 0;
  let earned = 0;
  for (const { term, index } of own) {
    const weight = termImportance(term.word, term.rank);
    total += weight;
    earned += weight * (termCredit.get(index) ?? 0);
  }
  let alignedOwn = 0;
  for (const position of answerOwn) if (used.has(position)) alignedOwn += 1;
  return { coverage: total > 0 ? earned / total : 0, precision: answerOwn.size > 0 ? alignedOwn / answerOwn.size : 0, answerWords };
}
