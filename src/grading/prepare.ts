import type { WordVectors } from '../core/ports/embedder.js';
import type { Rubric } from '../core/ports/grader.js';
import { analyzeText, stemSet, type Token } from './analyze.js';
import { initials, looksLikeAcronym, MIN_FREE_ACRONYM, sameRoot, termImportance, typoCredit, wordFacts, type WordFacts } from './wordMatch.js';

/**
 * Per-rubric preprocessing: every key point and misconception phrasing ("variant": the text and each
 * `match` alternative) becomes a list of weighted content terms. Done once per rubric object and
 * question text, then cached.
 */

/**
 * A distinct content stem used somewhere in the rubric; `word` is the first surface form seen
 * (lower case), used for vectors, typos and acronyms.
 */
export interface RubricTerm extends Required<WordFacts> {
  vector: Float32Array | undefined;
  /** The stem occurs in the question: echoing it is not knowledge. */
  inQuestion: boolean;
  /** Short unusual word that may abbreviate a run of answer words ("pr" for "precision recall"). */
  acronym: boolean;
}

/** One term of one variant. */
export interface TermUse {
  term: number;
  weight: number;
  negated: boolean;
  /** Negated by a contrast cue ("rather than"), not a plain "not". */
  contrast: boolean;
  inQuestion: boolean;
}

export interface PreparedVariant {
  text: string;
  uses: TermUse[];
  totalWeight: number;
  nonQuestionWeight: number;
  /** Largest span of answer content tokens that may supply this variant's terms. */
  window: number;
  /** Every term is a question word: credit needs other content beside it in the answer. */
  allQuestion: boolean;
  /** Terms not taken from the question (all terms when every one is). */
  ownTerms: number;
  /**
   * A term is denied with a plain "not" ("does not make a random forest overfit"): the answer may
   * place the subject before its own negation ("a random forest won't overfit"), see `coverVariant`.
   */
  deniesClaim: boolean;
  /** Indices into `uses` of the specific numbers the phrasing states (not examples, not the question's): one must be in the answer for full credit. */
  numbers: number[];
}

export interface PreparedItem {
  variants: PreparedVariant[];
  /** A key point that asks for a quantified result ("Quantifies the result in business terms"): the answer must state an amount. */
  needsQuantity: boolean;
}

/** Key point texts that ask for the result itself in numbers, not for a way to measure something. */
const ASKS_FOR_QUANTITY = /\bquantif(?:y|ies|ied|ying)\s+(?:the\s+|its\s+|their\s+)?(?:results?|outcomes?|impact|both sides)\b|\b(?:quantified|measurable)\s+(?:business\s+)?(?:results?|outcomes?|impact)\b/i;

export interface PreparedRubric {
  questionStems: ReadonlySet<string>;
  terms: RubricTerm[];
  termByStem: ReadonlyMap<string, number>;
  points: PreparedItem[];
  misconceptions: PreparedItem[];
  /** Initials of runs of adjacent rubric words -> the terms of those runs ("fpr" -> false, positive, rate). */
  acronymRuns: ReadonlyMap<string, readonly number[]>;
  acronymTerms: readonly number[];
  /** Two adjacent rubric words written as one ("hash map" -> "hashmap") -> their terms. */
  compounds: ReadonlyMap<string, readonly number[]>;
  /** Initials -> stems of the rubric runs they abbreviate ("tp" -> "true posit"): how short acronyms may be spelled out. */
  expansions: ReadonlyMap<string, ReadonlySet<string>>;
  /** answer word -> soft matches (typo, vector, acronym) against this rubric's terms. */
  softCache: Map<string, readonly SoftMatch[]>;
}

export interface SoftMatch {
  term: number;
  credit: number;
  /** Spelled the same way (root, typo, acronym) rather than close in meaning (word vectors). */
  lexical: boolean;
}

/** Weight of a question word that is distinctive for the point (no other point or misconception uses it). */
const QUESTION_WEIGHT_DISTINCTIVE = 0.3;
/** Weight of any other question word. */
const QUESTION_WEIGHT = 0.15;

interface RawUse {
  stem: string;
  word: string;
  negated: boolean;
  contrast: boolean;
  upper: boolean;
}

/** Content words of a text, grouped in runs of adjacent words (a stop word or punctuation ends a run). */
function rawUses(text: string): RawUse[][] {
  const runs: RawUse[][] = [];
  let previous: Token | undefined;
  for (const token of analyzeText(text).tokens) {
    const use = { stem: token.stem, word: token.word, negated: token.negated, contrast: token.contrast, upper: token.upper };
    if (previous && previous.sentence === token.sentence && previous.slot + 1 === token.slot) runs[runs.length - 1]?.push(use);
    else runs.push([use]);
    previous = token;
  }
  return runs;
}

/** An example clause ("such as 1% then 5%", "e.g. depth 3-8"): its numbers illustrate, they are not the point. */
const EXAMPLE_CLAUSE = /\b(?:such as|e\.g\.?|eg|for example|for instance|say|like|typically|around|roughly|about)\b[^,;()]*/gi;
const NUMBER = /^\d+(?:[.,]\d+)?$/;

/** Stems of the numbers a phrasing asserts: digits outside example clauses. */
function statedNumbers(text: string): Set<string> {
  return new Set(analyzeText(text.replace(EXAMPLE_CLAUSE, ' ')).tokens.filter((token) => NUMBER.test(token.word)).map((token) => token.stem));
}

export function prepareRubric(question: string, rubric: Rubric, vectors: WordVectors): PreparedRubric {
  const questionStems = stemSet(question);
  const questionWords: WordFacts[] = [];
  for (const token of analyzeText(question).tokens) {
    if (!questionWords.some((known) => known.word === token.word)) questionWords.push({ word: token.word, stem: token.stem, rank: vectors.rank(token.word) });
  }
  // A rubric word is the question's when it is the same word up to an ending or a typo.
  const echoesQuestion = (facts: WordFacts) =>
    questionStems.has(facts.stem) || questionWords.some((word) => sameRoot(word.word, facts.word) || typoCredit(facts, word) > 0);
  const terms: RubricTerm[] = [];
  const termByStem = new Map<string, number>();
  const acronymRuns = new Map<string, number[]>();
  const expansions = new Map<string, Set<string>>();
  const compounds = new Map<string, number[]>();

  const termOf = (use: RawUse): number => {
    let index = termByStem.get(use.stem);
    if (index === undefined) {
      const rank = vectors.rank(use.word);
      index = terms.length;
      terms.push({
        ...wordFacts(use.word, use.stem, rank),
        vector: vectors.vector(use.word),
        inQuestion: echoesQuestion({ word: use.word, stem: use.stem, rank }),
        acronym: looksLikeAcronym(use.word, rank, use.upper),
      });
      termByStem.set(use.stem, index);
    }
    return index;
  };

  const items = [...rubric.keyPoints.map((point) => [point.text, ...point.match]), ...rubric.misconceptions.map((item) => [item.text, ...item.match])];
  const parsed = items.map((texts) =>
    texts.map((text) => {
      const runs = rawUses(text);
      for (const run of runs) {
        const ids = run.map(termOf);
        for (let i = 0; i + 1 < run.length; i += 1) {
          const joined = `${(run[i] as RawUse).word}${(run[i + 1] as RawUse).word}`;
          if (joined.length >= 6 && /^[a-z]+$/.test(joined)) compounds.set(joined, [ids[i] as number, ids[i + 1] as number]);
        }
        for (let length = 2; length <= Math.min(5, run.length); length += 1) {
          for (let start = 0; start + length <= run.length; start += 1) {
            if (length < MIN_FREE_ACRONYM && start > 0) continue;
            const key = initials(run.slice(start, start + length).map((use) => use.word));
            const spelled = expansions.get(key) ?? new Set<string>();
            spelled.add(run.slice(start, start + length).map((use) => use.stem).join(' '));
            expansions.set(key, spelled);
            const list = acronymRuns.get(key) ?? [];
            for (const id of ids.slice(start, start + length)) if (!list.includes(id)) list.push(id);
            acronymRuns.set(key, list);
          }
        }
      }
      return { text, uses: runs.flat() };
    }),
  );

  // Rubric-level document frequency: a word shared by many points says little about any one.
  const documentFrequency = new Map<string, number>();
  for (const variants of parsed) {
    const stems = new Set(variants.flatMap((variant) => variant.uses.map((use) => use.stem)));
    for (const stem of stems) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  }
  const documents = parsed.length;
  const idf = (stem: string): number => {
    const df = documentFrequency.get(stem) ?? 1;
    return documents <= 1 ? 1 : 0.4 + (0.6 * Math.log((documents + 1) / df)) / Math.log(documents + 1);
  };

  // Misconceptions get neither rubric idf nor question demoting: their claim lies in a combination
  // of words that points and the question also use ("ridge" + "feature selection", "boosting" +
  // "reduces variance"); the words of the question are often its very subject.
  const prepared: PreparedItem[] = parsed.map((variants, itemIndex) => ({
    needsQuantity: itemIndex < rubric.keyPoints.length && ASKS_FOR_QUANTITY.test(variants[0]?.text ?? ''),
    variants: variants
      .map(({ text, uses }) => {
        const isPoint = itemIndex < rubric.keyPoints.length;
        const seen = new Set<string>();
        const distinct = uses.filter((use) => (seen.has(use.stem) ? false : (seen.add(use.stem), true)));
        const allQuestion = distinct.every((use) => terms[termOf(use)]?.inQuestion === true);
        const termUses: TermUse[] = distinct.map((use) => {
          const term = terms[termOf(use)] as RubricTerm;
          if (!isPoint) return { term: termOf(use), weight: termImportance(term.word, term.rank), negated: use.negated, contrast: use.contrast, inQuestion: false };
          const base = termImportance(term.word, term.rank) * idf(use.stem);
          const factor = !term.inQuestion || allQuestion ? 1 : (documentFrequency.get(use.stem) ?? 1) === 1 ? QUESTION_WEIGHT_DISTINCTIVE : QUESTION_WEIGHT;
          return { term: termOf(use), weight: base * factor, negated: use.negated, contrast: use.contrast, inQuestion: term.inQuestion && !allQuestion };
        });
        const totalWeight = termUses.reduce((sum, use) => sum + use.weight, 0);
        const nonQuestionWeight = termUses.reduce((sum, use) => sum + (use.inQuestion ? 0 : use.weight), 0);
        const ownTerms = termUses.filter((use) => !use.inQuestion).length;
        const stated = isPoint ? statedNumbers(text) : new Set<string>();
        const numbers = stated.size === 0 ? [] : distinct.flatMap((use, index) => (stated.has(use.stem) && !(terms[termOf(use)] as RubricTerm).inQuestion ? [index] : []));
        const deniesClaim = termUses.some((use) => use.negated && !use.contrast);
        return { text, uses: termUses, deniesClaim, totalWeight, nonQuestionWeight, window: Math.max(8, 2 * termUses.length + 4), allQuestion, ownTerms, numbers };
      })
      .filter((variant) => variant.uses.length > 0),
  }));

  const acronymTerms = terms.flatMap((term, index) => (term.acronym ? [index] : []));
  return {
    questionStems,
    terms,
    termByStem,
    points: prepared.slice(0, rubric.keyPoints.length),
    misconceptions: prepared.slice(rubric.keyPoints.length),
    acronymRuns,
    acronymTerms,
    expansions,
    compounds,
    softCache: new Map(),
  };
}

/** What preparation depends on: the question and the phrasings (weights are read at grading time). */
function contentKey(question: string, rubric: Rubric): string {
  return JSON.stringify([question, rubric.keyPoints.map((point) => [point.text, point.match]), rubric.misconceptions.map((item) => [item.text, item.match])]);
}

const CONTENT_CACHE_LIMIT = 512;

/**
 * Cache of prepared rubrics. First by rubric object (loaded questions are long-lived objects),
 * then by content, because callers derive fresh rubric objects per answer (a system-design phase,
 * the points of a follow-up).
 */
export class PreparedRubricCache {
  private readonly byRubric = new WeakMap<Rubric, { question: string; prepared: PreparedRubric }>();
  private readonly byContent = new Map<string, PreparedRubric>();

  constructor(private readonly vectors: WordVectors) {}

  get(question: string, rubric: Rubric): PreparedRubric {
    const known = this.byRubric.get(rubric);
    if (known && known.question === question) return known.prepared;
    const key = contentKey(question, rubric);
    let prepared = this.byContent.get(key);
    if (prepared) {
      // Refresh its place so the least recently used entry is evicted first.
      this.byContent.delete(key);
    } else {
      prepared = prepareRubric(question, rubric, this.vectors);
      if (this.byContent.size >= CONTENT_CACHE_LIMIT) {
        const oldest = this.byContent.keys().next().value;
        if (oldest !== undefined) this.byContent.delete(oldest);
      }
    }
    this.byContent.set(key, prepared);
    this.byRubric.set(rubric, { question, prepared });
    return prepared;
  }
}
