/**
 * Word-level matching rules: typo tolerance, antonyms, and the soft (word-vector) credit curve.
 * Pure functions; the grader combines them per rubric term and answer token.
 */

/** Credit for a typo-level match ("precison" for "precision"). */
export const TYPO_CREDIT = 0.9;
/** Credit for an acronym standing for a run of words ("FPR" for "false positive rate"). */
export const ACRONYM_CREDIT = 0.9;
/** Word-vector cosine below which two words are not considered the same idea. */
export const SOFT_THRESHOLD = 0.65;
/** Soft matches never earn as much as the word itself. */
export const SOFT_MAX_CREDIT = 0.8;
/** Words more frequent than this rank are ordinary words: two different ones are not typos of each other. */
const COMMON_RANK = 30_000;

/** Allowed edit distance for a misspelling of `word` (5+ letters: 1, 8+ letters: 2). */
export function typoBudget(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

/**
 * Optimal-string-alignment distance (adjacent transpositions cost 1), or `limit + 1` as soon as it
 * is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * Pairs whose word vectors are close although they mean opposite or clearly different things in an
 * ML answer (vectors learn relatedness, not synonymy). Both directions are checked.
 */
const ANTONYM_PAIRS: readonly (readonly [string, string])[] = [
  ['high', 'low'], ['higher', 'lower'], ['highest', 'lowest'], ['increase', 'decrease'], ['increases', 'decreases'],
  ['increased', 'decreased'], ['increasing', 'decreasing'], ['increase', 'reduce'], ['raise', 'lower'], ['rise', 'fall'],
  ['positive', 'negative'], ['positives', 'negatives'], ['true', 'false'], ['more', 'less'], ['more', 'fewer'],
  ['most', 'least'], ['large', 'small'], ['larger', 'smaller'], ['largest', 'smallest'], ['big', 'small'],
  ['bigger', 'smaller'], ['many', 'few'], ['above', 'below'], ['over', 'under'], ['maximum', 'minimum'],
  ['max', 'min'], ['maximize', 'minimize'], ['maximise', 'minimise'], ['best', 'worst'], ['better', 'worse'],
  ['good', 'bad'], ['before', 'after'], ['first', 'last'], ['early', 'late'], ['earlier', 'later'],
  ['fast', 'slow'], ['faster', 'slower'], ['long', 'short'], ['longer', 'shorter'], ['easy', 'hard'],
  ['easier', 'harder'], ['simple', 'complex'], ['simpler', 'complex'], ['strong', 'weak'], ['stronger', 'weaker'],
  ['add', 'remove'], ['start', 'end'], ['open', 'close'], ['accept', 'reject'], ['include', 'exclude'],
  ['gain', 'loss'], ['majority', 'minority'], ['rare', 'common'], ['dense', 'sparse'], ['online', 'offline'],
  ['global', 'local'], ['explicit', 'implicit'], ['internal', 'external'], ['input', 'output'], ['inputs', 'outputs'],
  ['upper', 'lower'], ['left', 'right'], ['overfitting', 'underfitting'], ['overfit', 'underfit'],
  ['overestimate', 'underestimate'], ['overestimates', 'underestimates'], ['train', 'test'], ['training', 'testing'],
  ['supervised', 'unsupervised'], ['precision', 'recall'], ['bias', 'variance'], ['mean', 'median'],
  ['success', 'failure'], ['correct', 'incorrect'], ['right', 'wrong'], ['always', 'never'], ['all', 'none'],
  ['wide', 'narrow'], ['wider', 'narrower'], ['deep', 'shallow'], ['deeper', 'shallower'], ['hot', 'cold'],
  ['win', 'lose'], ['accurate', 'inaccurate'], ['stable', 'unstable'], ['sufficient', 'insufficient'],
  ['independent', 'dependent'], ['batch', 'streaming'], ['synchronous', 'asynchronous'], ['sync', 'async'],
  ['precision', 'accuracy'], ['recall', 'accuracy'], ['sensitivity', 'specificity'], ['classification', 'regression'],
  ['classifier', 'regressor'], ['validation', 'test'], ['lasso', 'ridge'], ['l1', 'l2'], ['mae', 'mse'], ['mae', 'rmse'],
  ['row', 'column'], ['rows', 'columns'], ['encoder', 'decoder'], ['generator', 'discriminator'], ['cpu', 'gpu'],
  ['read', 'write'], ['reads', 'writes'], ['horizontal', 'vertical'], ['sigmoid', 'softmax'], ['relu', 'sigmoid'],
  ['underfits', 'overfits'], ['overconfident', 'underconfident'], ['upsample', 'downsample'],
  ['upsampling', 'downsampling'], ['oversample', 'undersample'], ['oversampling', 'undersampling'],
];

/** Comparative and superlative forms, so "higher" is also the opposite of "low". */
function degrees(word: string): string[] {
  const forms = [word];
  if (!/^[a-z]{3,6}$/.test(word)) return forms;
  if (word.endsWith('e')) forms.push(`${word}r`, `${word}st`);
  else if (word.endsWith('y')) forms.push(`${word.slice(0, -1)}ier`, `${word.slice(0, -1)}iest`);
  else if (/[^aeiou][aeiou][bdgmnpt]$/.test(word)) forms.push(`${word}${word.slice(-1)}er`, `${word}${word.slice(-1)}est`);
  else forms.push(`${word}er`, `${word}est`);
  return forms;
}

const ANTONYMS = new Map<string, Set<string>>();
for (const [a, b] of ANTONYM_PAIRS) {
  for (const x of degrees(a)) {
    for (const y of degrees(b)) {
      for (const [from, to] of [[x, y], [y, x]] as const) {
        const set = ANTONYMS.get(from) ?? new Set<string>();
        set.add(to);
        ANTONYMS.set(from, set);
      }
    }
  }
}

const NEGATING_PREFIXES = ['un', 'in', 'im', 'il', 'ir', 'non', 'dis', 'mis', 'anti'];
const SWAPPED_PREFIXES: readonly (readonly [string, string])[] = [['over', 'under'], ['up', 'down'], ['max', 'min'], ['in', 'out'], ['pre', 'post']];

/** True when the two words are (likely) opposites or contrasts: listed pairs, "biased"/"unbiased", "overfit"/"underfit". */
export function areAntonyms(a: string, b: string): boolean {
  if (a === b) return false;
  if (ANTONYMS.get(a)?.has(b)) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  for (const prefix of NEGATING_PREFIXES) {
    if (shorter.length >= 4 && longer === prefix + shorter) return true;
  }
  for (const [x, y] of SWAPPED_PREFIXES) {
    if (a.startsWith(x) && b.startsWith(y) && a.slice(x.length) === b.slice(y.length) && a.length - x.length >= 3) return true;
    if (a.startsWith(y) && b.startsWith(x) && a.slice(y.length) === b.slice(x.length) && a.length - y.length >= 3) return true;
  }
  return false;
}

export interface WordFacts {
  word: string;
  stem: string;
  /** Frequency rank in the word-vector vocabulary, or undefined when unknown. */
  rank: number | undefined;
  /** `letterMask` of word and stem, when precomputed. */
  mask?: number;
  stemMask?: number;
}

/** Facts about a word with its letter masks precomputed (for comparing it with many others). */
export function wordFacts(word: string, stem: string, rank: number | undefined): Required<WordFacts> {
  return { word, stem, rank, mask: letterMask(word), stemMask: letterMask(stem) };
}

/**
 * Credit (0 or TYPO_CREDIT) for `answer` being a misspelling of the rubric word `reference`.
 * Two different, ordinary, correctly spelled words ("class"/"glass") are never typos of each other.
 */
export function typoCredit(reference: WordFacts, answer: WordFacts): number {
  const budget = typoBudget(reference.word);
  if (budget === 0 || answer.word.length < 4) return 0;
  const wordsMayMatch = mayBeWithin(reference.mask ?? letterMask(reference.word), answer.mask ?? letterMask(answer.word), budget);
  if (!wordsMayMatch && !mayBeWithin(reference.stemMask ?? letterMask(reference.stem), answer.stemMask ?? letterMask(answer.stem), budget)) return 0;
  const close =
    (Math.abs(reference.word.length - answer.word.length) <= budget && editDistance(reference.word, answer.word, budget) <= budget) ||
    (reference.stem.length >= 5 && Math.abs(reference.stem.length - answer.stem.length) <= budget && editDistance(reference.stem, answer.stem, budget) <= budget);
  if (!close || /\d/.test(answer.word) || /\d/.test(reference.word)) return 0;
  if (answer.rank !== undefined && reference.rank !== undefined && answer.rank < COMMON_RANK && reference.rank < COMMON_RANK) return 0;
  return areAntonyms(reference.word, answer.word) ? 0 : TYPO_CREDIT;
}

/**
 * Same word up to an adverb or adjective ending that the stemmer leaves alone:
 * random/randomly, easy/easily, basic/basically, simple/simply, arbitrary/arbitrarily.
 */
export function sameRoot(a: string, b: string): boolean {
  if (a.charCodeAt(0) !== b.charCodeAt(0) || a.charCodeAt(1) !== b.charCodeAt(1)) return false;
  const [base, derived] = a.length <= b.length ? [a, b] : [b, a];
  const extra = derived.length - base.length;
  if (base.length < 4 || extra > 4 || extra === 1 || extra === 3) return false;
  if (extra === 2) {
    if (derived.startsWith(base) && derived.endsWith('ly')) return true;
    // easy -> easily
    return base.endsWith('y') && derived.endsWith('ily') && derived.startsWith(base.slice(0, -1));
  }
  if (extra === 4) return derived.startsWith(base) && derived.endsWith('ally');
  // simple -> simply
  return base.endsWith('le') && derived.endsWith('ly') && derived.startsWith(base.slice(0, -2)) && derived.charCodeAt(derived.length - 3) === base.charCodeAt(base.length - 3);
}

/** Bit per letter a-z that occurs in the word: a cheap lower bound on edit distance. */
export function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i += 1) {
    const code = word.charCodeAt(i) - 97;
    if (code >= 0 && code < 26) mask |= 1 << code;
  }
  return mask;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** False when the words differ in more letters than `budget` edits could explain (each edit adds or drops at most two letter kinds). */
export function mayBeWithin(maskA: number, maskB: number, budget: number): boolean {
  return bitCount(maskA ^ maskB) <= 2 * budget;
}

/**
 * Frequent words sit close to many others in word-vector space ("see"/"back", "many"/"number",
 * "rate"/"low"), so a pair involving one needs a higher cosine.
 */
export const SOFT_THRESHOLD_COMMON = 0.72;
const COMMON_WORD_RANK = 1000;

/** Maps a word-vector cosine to credit: 0 below the threshold, rising to SOFT_MAX_CREDIT. */
export function softCredit(cosine: number, rankA?: number, rankB?: number): number {
  const common = (rankA !== undefined && rankA < COMMON_WORD_RANK) || (rankB !== undefined && rankB < COMMON_WORD_RANK);
  const threshold = common ? SOFT_THRESHOLD_COMMON : SOFT_THRESHOLD;
  if (cosine < threshold) return 0;
  const t = (cosine - SOFT_THRESHOLD) / (1 - SOFT_THRESHOLD);
  return 0.5 + (SOFT_MAX_CREDIT - 0.5) * Math.min(1, t * 1.5);
}

/**
 * Importance of a rubric word from its frequency rank: ordinary words ("model", "data") weigh
 * about 1, rare technical words up to 3. Unknown words (acronyms, jargon) count as rare. Numbers
 * are often incidental ("1% then 5%", "k minus 1") and one-letter variables ("k", "x") are not
 * rare words, so they weigh less.
 */
export function termImportance(word: string, rank: number | undefined): number {
  if (/\d/.test(word)) return 1.5;
  if (word.length === 1) return 1;
  const effective = rank ?? 100_000;
  return Math.min(3, 1 + 0.5 * Math.log(1 + effective / 2000));
}

/** Initial letters of a run of words ("false positive rate" -> "fpr"). */
export function initials(words: readonly string[]): string {
  return words.map((word) => word[0] ?? '').join('');
}

/**
 * Two-letter acronyms are ambiguous: "pr" must not be read into "false positive rate". Shorter ones
 * match only runs that the rubric itself spells out, and rubric runs only from their first word.
 */
export const MIN_FREE_ACRONYM = 3;

/** Could this token be an acronym? Short, letters only, and either capitalised or not an ordinary word. */
export function looksLikeAcronym(word: string, rank: number | undefined, upper: boolean): boolean {
  if (!/^[a-z]{2,5}$/.test(word)) return false;
  return upper || rank === undefined || rank > 3000;
}
