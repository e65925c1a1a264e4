import type { WordVectors } from '../core/ports/embedder.js';
import { matchStem, type AnalyzedText, type Token } from './analyze.js';
import { pointScore } from './calibration.js';
import { areSynonyms, hasSynonyms, synonymWords, SYNONYM_CREDIT } from './synonyms.js';
import type { PreparedItem, PreparedRubric, PreparedVariant, RubricTerm, SoftMatch, TermUse } from './prepare.js';
import { ACRONYM_CREDIT, areAntonyms, looksLikeAcronym, MIN_FREE_ACRONYM, sameRoot, softCredit, typoCredit, wordFacts } from './wordMatch.js';

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
  /** Negated by a contrast cue ("rather than X") rather than a plain "not". */
  contrast: boolean;
  credit: number;
  /** Same word (stem, root, typo, acronym) rather than a word-vector neighbour. */
  lexical: boolean;
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
  /** Unweighted share of the variant's own (non-question) terms that earned credit. */
  termShare: number;
  aligned: AlignedTerm[];
  /** Sentences holding the aligned tokens (inclusive), or undefined when nothing aligned. */
  firstSentence: number | undefined;
  lastSentence: number | undefined;
}

export interface ItemCoverage extends VariantCoverage {
  /** Index of the best variant, -1 when nothing aligned. */
  variant: number;
  /** Calibrated 0..1 score of the best variant (see `pointScore`). */
  score: number;
}

/**
 * Credit factor for a word in a bare list of terms: it names the concept but asserts nothing about
 * it, so a list of every rubric keyword is not an answer (about a third of a claim).
 */
export const LISTED_CREDIT = 1 / 3;
/** Best score of a phrasing with specific numbers ("90 / (90 + 495), about 15%") when none of them is in the answer. */
export const NUMBERS_MISSING_CAP = 0.6;

/** Share of a variant's non-question weight that must be aligned before question words add credit. */
const QUESTION_WORDS_NEED = 0.25;
/** Share of a variant's non-question weight that must be spelled out in a window before word-vector matches count. */
const SOFT_NEEDS_CONTEXT = 0.2;
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
  const answerFacts = wordFacts(token.word, token.stem, rank);
  const synonymous = hasSynonyms(token.stem);
  prepared.terms.forEach((term, index) => {
    if (term.stem === token.stem) return;
    if (sameRoot(term.word, token.word)) {
      matches.push({ term: index, credit: 1, lexical: true });
      return;
    }
    if (synonymous && areSynonyms(term.stem, token.stem)) {
      matches.push({ term: index, credit: SYNONYM_CREDIT, lexical: true });
      return;
    }
    const typo = typoCredit(term, answerFacts);
    if (typo > 0) {
      matches.push({ term: index, credit: typo, lexical: true });
      return;
    }
    if (!echo && vector && term.vector) {
      const credit = softCredit(dot(vector, term.vector), rank, term.rank);
      if (credit > 0 && !areAntonyms(term.word, token.word)) matches.push({ term: index, credit, lexical: false });
    }
  });
  // "hashmap" for the rubric's "hash map"; "dict" too, as a synonym of "hashmap".
  for (const term of prepared.compounds.get(token.word) ?? []) {
    const existing = matches.find((match) => match.term === term);
    if (existing) Object.assign(existing, { credit: 1, lexical: true });
    else matches.push({ term, credit: 1, lexical: true });
  }
  if (synonymous) {
    for (const alias of synonymWords(token.stem)) {
      for (const term of prepared.compounds.get(alias) ?? []) {
        const existing = matches.find((match) => match.term === term);
        if (existing) existing.credit = Math.max(existing.credit, SYNONYM_CREDIT);
        else matches.push({ term, credit: SYNONYM_CREDIT, lexical: true });
      }
    }
  }
  if (looksLikeAcronym(token.word, rank, token.upper)) {
    for (const term of prepared.acronymRuns.get(token.word) ?? []) {
      const existing = matches.find((match) => match.term === term);
      if (existing && existing.lexical) existing.credit = Math.max(existing.credit, ACRONYM_CREDIT);
      else if (existing) Object.assign(existing, { credit: ACRONYM_CREDIT, lexical: true });
      else matches.push({ term, credit: ACRONYM_CREDIT, lexical: true });
    }
  }
  if (prepared.softCache.size >= SOFT_CACHE_LIMIT) prepared.softCache.clear();
  prepared.softCache.set(key, matches);
  return matches;
}

interface SpelledRun {
  first: Token;
  /** Stems of the run joined by spaces. */
  stems: string;
}

/** Runs of 2-5 adjacent answer words by their initials ("false positive rate" -> "fpr"). */
function spelledRuns(answer: AnalyzedText): Map<string, SpelledRun[]> {
  const runs = new Map<string, SpelledRun[]>();
  const tokens = answer.tokens;
  for (let start = 0; start < tokens.length; start += 1) {
    const first = tokens[start] as Token;
    let key = first.word[0] ?? '';
    let stems = first.stem;
    for (let end = start + 1; end < tokens.length && end - start < 5; end += 1) {
      const previous = tokens[end - 1] as Token;
      const token = tokens[end] as Token;
      if (token.sentence !== first.sentence || token.slot !== previous.slot + 1) break;
      key += token.word[0] ?? '';
      stems += ` ${token.stem}`;
      const list = runs.get(key) ?? [];
      list.push({ first, stems });
      runs.set(key, list);
    }
  }
  return runs;
}

/** For every rubric term, the answer tokens that can supply it. */
export function findCandidates(prepared: PreparedRubric, answer: AnalyzedText, vectors: WordVectors): Candidate[][] {
  const candidates: Candidate[][] = prepared.terms.map(() => []);
  const add = (term: number, token: Token, raw: number, lexical: boolean) => {
    const credit = token.listed ? raw * LISTED_CREDIT : raw;
    const list = candidates[term] as Candidate[];
    const last = list[list.length - 1];
    if (last && last.position === token.position) {
      if (credit > last.credit) Object.assign(last, { credit, lexical });
      return;
    }
    list.push({ position: token.position, sentence: token.sentence, negated: token.negated, contrast: token.contrast, credit, lexical });
  };
  for (const token of answer.tokens) {
    const exact = prepared.termByStem.get(token.stem);
    if (exact !== undefined) add(exact, token, 1, true);
    for (const match of softMatches(prepared, token, vectors)) add(match.term, token, match.credit, match.lexical);
  }
  // Rubric compounds written as two words: "dataset" <- "data set".
  for (let i = 0; i + 1 < answer.tokens.length; i += 1) {
    const [first, second] = [answer.tokens[i] as Token, answer.tokens[i + 1] as Token];
    if (first.sentence !== second.sentence || first.slot + 1 !== second.slot) continue;
    const joined = `${first.word}${second.word}`;
    const term = joined.length >= 6 ? prepared.termByStem.get(matchStem(joined)) : undefined;
    if (term !== undefined) add(term, first, 1, true);
  }
  // Rubric acronyms spelled out in the answer: "pr auc" <- "precision-recall AUC".
  if (prepared.acronymTerms.length > 0) {
    const runs = spelledRuns(answer);
    for (const termIndex of prepared.acronymTerms) {
      const term = prepared.terms[termIndex] as RubricTerm;
      for (const run of runs.get(term.word) ?? []) {
        // Short acronyms are ambiguous ("pr" is not "positive rate"): accept only the expansions the rubric spells out.
        if (term.word.length < MIN_FREE_ACRONYM && !prepared.expansions.get(term.word)?.has(run.stems)) continue;
        add(termIndex, run.first, ACRONYM_CREDIT, true);
      }
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

export interface CoverOptions {
  /** Consecutive sentences a window may span: 2 for key points, whose wording may spill over; 1 for misconceptions, which are asserted in one sentence. */
  sentences: 1 | 2;
  /** Word-vector matches earning less than this are ignored (stricter for misconceptions). */
  minSoftCredit: number;
}

/**
 * Best coverage of one variant by a window of the answer: at most `variant.window` content tokens
 * within `options.sentences` consecutive sentences. Word-vector matches count only in context: when
 * the same window already spells out part of the variant (Sultan et al. use neighbouring alignments
 * the same way), so one related word alone ("rate" for "low") earns nothing.
 */
export function coverVariant(variant: PreparedVariant, candidates: readonly Candidate[][], newContent: readonly number[], options: CoverOptions): VariantCoverage {
  const uses = variant.uses;
  const strongEnough = (candidate: Candidate) => candidate.lexical || candidate.credit >= options.minSoftCredit;
  const usable = (candidate: Candidate, negated: boolean) => candidate.negated === negated && strongEnough(candidate);
  // A phrasing that denies a claim ("does not make a random forest overfit") may be matched by an
  // answer that puts the subject before its own "not" ("a random forest won't overfit"): a term of
  // the other polarity counts when, in its sentence, a term both deny is denied (see below).
  const flexible = variant.deniesClaim;
  const anchors: Candidate[] = [];
  for (const use of uses) for (const candidate of candidates[use.term] ?? []) if (flexible ? strongEnough(candidate) : usable(candidate, use.negated)) anchors.push(candidate);
  let best: VariantCoverage = { coverage: 0, termShare: 0, aligned: [], firstSentence: undefined, lastSentence: undefined };
  if (anchors.length === 0) return best;
  anchors.sort((a, b) => a.position - b.position);
  const ownTerms = uses.filter((use) => !use.inQuestion).length;
  const chosen: (Candidate | undefined)[] = new Array<Candidate | undefined>(uses.length);
  const flipped: (Candidate | undefined)[] = flexible ? new Array<Candidate | undefined>(uses.length) : [];
  let previousAnchor = -1;
  for (const anchor of anchors) {
    if (anchor.position === previousAnchor) continue;
    previousAnchor = anchor.position;
    const firstSentence = anchor.sentence;
    const end = anchor.position + variant.window;
    let lexicalNew = 0;
    for (let index = 0; index < uses.length; index += 1) {
      const use = uses[index] as TermUse;
      let pick: Candidate | undefined;
      let other: Candidate | undefined;
      for (const candidate of candidates[use.term] ?? []) {
        if (candidate.position < anchor.position) continue;
        if (candidate.position >= end || candidate.sentence >= firstSentence + options.sentences) break;
        if (usable(candidate, use.negated)) {
          if (!pick || candidate.credit > pick.credit) pick = candidate;
        } else if (flexible && !candidate.contrast && strongEnough(candidate) && (!other || candidate.credit > other.credit)) other = candidate;
      }
      chosen[index] = pick;
      if (flexible) flipped[index] = pick ? undefined : other;
    }
    if (flexible) {
      // Sentences where a term the phrasing denies with a plain "not" is denied the same way.
      let agreed = -1;
      let agreedSecond = -1;
      for (let index = 0; index < uses.length; index += 1) {
        const use = uses[index] as TermUse;
        const pick = chosen[index];
        if (!use.negated || use.contrast || !pick || !pick.negated || pick.contrast || use.inQuestion) continue;
        if (agreed < 0 || agreed === pick.sentence) agreed = pick.sentence;
        else agreedSecond = pick.sentence;
      }
      for (let index = 0; index < uses.length; index += 1) {
        const other = flipped[index];
        if (other && (other.sentence === agreed || other.sentence === agreedSecond)) chosen[index] = other;
      }
    }
    for (let index = 0; index < uses.length; index += 1) {
      const use = uses[index] as TermUse;
      const pick = chosen[index];
      if (pick?.lexical && !use.inQuestion) lexicalNew += use.weight * pick.credit;
    }
    const softAllowed = lexicalNew > 0 && lexicalNew >= SOFT_NEEDS_CONTEXT * variant.nonQuestionWeight;
    let nonQuestion = 0;
    let question = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = -1;
    for (let index = 0; index < uses.length; index += 1) {
      const use = uses[index] as TermUse;
      const pick = chosen[index];
      if (!pick || (!pick.lexical && !softAllowed)) {
        chosen[index] = undefined;
        continue;
      }
      if (use.inQuestion) question += use.weight * pick.credit;
      else nonQuestion += use.weight * pick.credit;
      first = Math.min(first, pick.sentence);
      last = Math.max(last, pick.sentence);
    }
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
      const aligned: AlignedTerm[] = [];
      let own = 0;
      chosen.forEach((pick, use) => {
        if (!pick) return;
        aligned.push({ use, position: pick.position, credit: pick.credit });
        if (!uses[use]?.inQuestion) own += 1;
      });
      best = { coverage, termShare: ownTerms > 0 ? own / ownTerms : 0, aligned, firstSentence: first, lastSentence: last };
    }
  }
  return best;
}

/** Candidates restricted to sentences `first..last` (to ask what else one sentence says). */
export function candidatesWithin(candidates: readonly Candidate[][], first: number, last: number): Candidate[][] {
  return candidates.map((list) => list.filter((candidate) => candidate.sentence >= first && candidate.sentence <= last));
}

/** Candidates without the answer tokens at `positions` (words another point already used). */
export function candidatesExcluding(candidates: readonly Candidate[][], positions: ReadonlySet<number>): Candidate[][] {
  return candidates.map((list) => list.filter((candidate) => !positions.has(candidate.position)));
}

/** Best variant of an item (its text and each `match` alternative) by calibrated score, then coverage. */
export function coverItem(item: PreparedItem, candidates: readonly Candidate[][], newContent: readonly number[], options: CoverOptions): ItemCoverage {
  let best: ItemCoverage = { coverage: 0, termShare: 0, aligned: [], firstSentence: undefined, lastSentence: undefined, variant: -1, score: 0 };
  item.variants.forEach((variant, index) => {
    const result = coverVariant(variant, candidates, newContent, options);
    if (result.coverage === 0) return;
    let score = pointScore(result.coverage, variant.ownTerms);
    if (variant.numbers.length > 0 && !result.aligned.some((entry) => variant.numbers.includes(entry.use))) score = Math.min(score, NUMBERS_MISSING_CAP);
    if (score > best.score || (score === best.score && result.coverage > best.coverage)) best = { ...result, variant: index, score };
  });
  return best;
}
