import { matchStem } from './analyze.js';

/**
 * A small lexicon of words that mean the same in ML interview answers, where the 100-d word
 * vectors are too weak ("threshold"/"cutoff" 0.42, "outputs"/"predictions" 0.24). Kept to
 * unambiguous groups: no "order" (in order to), "example" (for example), "means" (X means Y).
 * Rubric-specific phrasings belong in the rubric's `match` lists instead.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['threshold', 'cutoff'],
  ['probability', 'likelihood', 'chance'],
  ['feature', 'variable', 'attribute', 'predictor', 'covariate'],
  ['sample', 'instance', 'observation', 'row'],
  ['classifier', 'estimator', 'model'],
  ['error', 'mistake'],
  ['large', 'big', 'huge', 'massive', 'enormous'],
  ['small', 'tiny'],
  ['fast', 'quick'],
  ['expensive', 'costly'],
  ['cheap', 'inexpensive'],
  ['increase', 'rise', 'grow'],
  ['decrease', 'reduce', 'decline'],
  ['metric', 'measure'],
  ['evaluate', 'assess'],
  ['data', 'dataset'],
  ['weight', 'coefficient'],
  ['user', 'customer'],
  ['traffic', 'request'],
  ['split', 'divide', 'partition'],
  ['imbalance', 'skew'],
  ['imbalanced', 'unbalanced', 'skewed'],
  ['rare', 'uncommon', 'infrequent'],
  ['wrong', 'incorrect'],
  ['fraud', 'fraudulent'],
  ['legitimate', 'legit', 'genuine'],
  ['alarm', 'alert'],
  ['deploy', 'ship'],
  ['production', 'prod'],
  ['rollback', 'revert'],
  ['monitor', 'track'],
  ['dictionary', 'dict', 'hashmap', 'hashtable'],
  ['penalty', 'penalize'],
  ['prediction', 'output'],
];

/** Credit for a lexicon synonym: a little below the word itself. */
export const SYNONYM_CREDIT = 0.85;

const GROUP_OF = new Map<string, number[]>();
GROUPS.forEach((group, index) => {
  for (const word of group) {
    const key = matchStem(word);
    const list = GROUP_OF.get(key) ?? [];
    if (!list.includes(index)) list.push(index);
    GROUP_OF.set(key, list);
  }
});

/** True when the stem has listed synonyms (a cheap test before comparing pairs). */
export function hasSynonyms(stem: string): boolean {
  return GROUP_OF.has(stem);
}

/** True when the two stems are listed as synonyms. */
export function areSynonyms(stemA: string, stemB: string): boolean {
  if (stemA === stemB) return false;
  const a = GROUP_OF.get(stemA);
  const b = GROUP_OF.get(stemB);
  return a !== undefined && b !== undefined && a.some((group) => b.includes(group));
}

/** The listed words (surface forms) that share a group with the stem, for matching rubric compounds ("dict" -> "hashmap"). */
export function synonymWords(stem: string): readonly string[] {
  const groups = GROUP_OF.get(stem);
  if (!groups) return [];
  return groups.flatMap((index) => (GROUPS[index] ?? []).filter((word) => matchStem(word) !== stem));
}
