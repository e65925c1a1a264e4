import { isStopWord, stem } from '../text/tokenize.js';

/**
 * Text analysis for grading: sentences with their place in the original text (evidence is quoted
 * verbatim), content tokens with stems, and negation scope.
 */

export interface Sentence {
  /** Verbatim slice of the analysed text. */
  text: string;
  start: number;
  end: number;
}

export interface Token {
  /** Lower-cased surface form (NFKC, apostrophes folded, possessive 's dropped). */
  word: string;
  stem: string;
  /** Index into `AnalyzedText.sentences`. */
  sentence: number;
  /** Position among the content tokens of the whole text. */
  position: number;
  /** Position among all words and punctuation of its sentence: adjacent tokens differ by 1. */
  slot: number;
  /** Inside the scope of not/never/without/... */
  negated: boolean;
  /** Negated by a contrast ("rather than X", "instead of X", "unlike X"), not by a plain "not": X is an alternative, not a denied claim. */
  contrast: boolean;
  /** Written in capitals in the original (an acronym hint: "FPR", "MAP"). */
  upper: boolean;
  /** In a bare list of terms ("peeking, random walk, fixed horizon, ..."): names a concept, asserts nothing. */
  listed: boolean;
}

export interface AnalyzedText {
  sentences: Sentence[];
  tokens: Token[];
}

/** Cues that negate the rest of their clause (a few words at most). */
const NEGATION_CUES = new Set([
  'not', 'no', 'never', 'without', 'cannot', 'neither', 'nor', 'none', 'nothing', 'nowhere', 'barely', 'hardly',
  'ignore', 'ignores', 'ignored', 'ignoring', 'lack', 'lacks', 'lacking', 'unlike',
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'cant', 'wont', 'wouldnt', 'shouldnt', 'couldnt',
  'hasnt', 'havent', 'hadnt', 'aint', 'mustnt', 'neednt',
]);

/** Cue followed by one of these is not a negation ("not only", "no matter"). */
const NOT_A_NEGATION_AFTER: Readonly<Record<string, ReadonlySet<string>>> = {
  not: new Set(['only', 'just', 'merely', 'to']),
  no: new Set(['matter', 'doubt']),
};

/** Two-word cues: "rather than X", "instead of X", "as opposed to X". */
const TWO_WORD_CUES = new Set(['rather than', 'instead of', 'opposed to', 'fails to', 'failed to', 'fail to']);

/** Words that end a negation scope (a new clause starts). */
const SCOPE_BREAKERS = new Set(['but', 'however', 'although', 'though', 'whereas', 'while', 'yet', 'so', 'because', 'since', 'instead', 'therefore', 'thus', 'hence', 'which']);

/** "and"/"or" end a negation scope only when a new clause follows ("... and it measures ..."). */
const CLAUSE_STARTERS = new Set(['it', 'they', 'we', 'you', 'i', 'he', 'she', 'this', 'that', 'there', 'these', 'those', 'then']);

const MAX_SCOPE_WORDS = 8;

/** One-word cues that introduce an alternative rather than deny a claim. */
const CONTRAST_CUES = new Set(['unlike']);

/** Fillers of spoken answers that carry no content beyond the shared stop-word list. */
const EXTRA_FILLERS = new Set(["i'd", "i'll", "we'd", "we'll", "you'd", "you'll", "it'll", 'etc', 'e.g', 'i.e', 'eg', 'ie', 'okay', 'ok', 'yeah', 'yes', 'hmm', 'gonna', 'wanna']);

/** Words (with inner hyphens, apostrophes, dots) and clause punctuation, including a dash written as a spaced hyphen. */
const PIECE = /[\p{L}\p{N}]+(?:['\-.][\p{L}\p{N}]+)*|[,;:()!?–—]|(?<=\s)-(?=\s)/gu;

export function isNegationCue(word: string): boolean {
  return NEGATION_CUES.has(word) || word.endsWith("n't");
}

/**
 * Code and notation read as words, the same way in rubric and answer: big-O classes by name
 * ("O(n)" is "linear"), an empty `{}` literal as a dict (a hash map), `n^2` as `n2` (like "n²").
 */
const NOTATION: readonly (readonly [RegExp, string])[] = [
  [/\bO\(\s*1\s*\)/g, ' constant '],
  [/\bO\(\s*n\s*(?:\^|\*\*)?\s*2\s*\)/gi, ' quadratic '],
  [/\bO\(\s*n\s*\*?\s*log\s*n\s*\)/gi, ' n log n '],
  [/\bO\(\s*log\s*n\s*\)/gi, ' logarithmic '],
  [/\bO\(\s*n\s*\)/gi, ' linear '],
  [/\{\s*\}|\bdict\(\s*\)/g, ' dict '],
  [/\b([a-z])\s*(?:\^|\*\*)\s*(\d)\b/gi, '$1$2'],
];

function normalise(text: string): string {
  let out = text.normalize('NFKC').replace(/[’‘]/g, "'");
  if (/[({^*]/.test(out)) for (const [pattern, replacement] of NOTATION) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Parts of an identifier: camelCase and dotted names ("zeroGrad", "loss.backward") split into
 * words, as snake_case already is; abbreviations with one-letter parts ("e.g") and numbers stay.
 */
function identifierParts(part: string): string[] {
  let parts = [part];
  if (/[\p{L}]{2,}\.[\p{L}]{2,}/u.test(part) && !/\d/.test(part)) parts = part.split('.');
  // Only lowerCamelCase identifiers: PascalCase names are products and models ("LightGBM", "ResNet").
  return parts.flatMap((piece) => (/^\p{Ll}+\p{Lu}/u.test(piece) ? piece.split(/(?<=\p{Ll})(?=\p{Lu})/u) : [piece]));
}

interface Piece {
  lower: string;
  upper: boolean;
  boundary: boolean;
}

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const match of normalise(text).matchAll(PIECE)) {
    const raw = match[0];
    if (!/[\p{L}\p{N}]/u.test(raw)) {
      out.push({ lower: raw, upper: false, boundary: true });
      continue;
    }
    for (const part of raw.split('-').flatMap(identifierParts)) {
      if (!part) continue;
      const lower = part.toLowerCase().replace(/'s$/, '');
      out.push({ lower, upper: part.length >= 2 && part === part.toUpperCase() && /\p{Lu}/u.test(part), boundary: false });
    }
  }
  return out;
}

/**
 * British and American spellings share one stem: quantisation/quantization, analyse/analyze,
 * behaviour/behavior, centre/center. Applied to rubric and answer alike, so a rare wrong rewrite
 * ("precise" -> "precize") is harmless.
 */
export function spellingKey(word: string): string {
  if (word.length < 6) return word;
  return word
    .replace(/(?<=\p{L}{3})is(e|es|ed|ing|ation|ations|er|ers)$/u, 'iz$1')
    .replace(/(?<=\p{L}{2})ys(e|es|ed|ing)$/u, 'yz$1')
    .replace(/(?<=\p{L}{3})our(s|ed|ing|ite|ites)?$/u, 'or$1')
    .replace(/(?<=\p{L}{3})tre(s)?$/u, 'ter$1');
}

const matchStems = new Map<string, string>();

/** Stem used for matching: spelling-normalised, then Porter-stemmed. */
export function matchStem(word: string): string {
  let value = matchStems.get(word);
  if (value === undefined) {
    value = stem(spellingKey(word));
    if (matchStems.size >= 100_000) matchStems.clear();
    matchStems.set(word, value);
  }
  return value;
}

function isContent(word: string): boolean {
  return !isStopWord(word) && !EXTRA_FILLERS.has(word) && !isNegationCue(word) && !/^[.']+$/.test(word);
}

/** Words that make a clause a claim (auxiliaries, modals, copulas and a few verbs of definition). */
const VERB_CUES = new Set([
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'has', 'have', 'had', 'do', 'does', 'did', 'can', 'could',
  'will', 'would', 'should', 'may', 'might', 'must', 'shall', 'means', 'gives', 'makes', 'uses', 'use', 'measures',
  "it's", "that's", "there's", 'get', 'gets', 'need', 'needs', 'want', 'check', 'look',
]);
/** Segments a sentence needs before it can be a bare list, and the share of them that must be bare terms. */
const LIST_MIN_SEGMENTS = 4;
const LIST_BARE_SHARE = 0.75;
const BARE_MAX_WORDS = 4;
/** Stop words a bare term may still contain ("and more data", "or fewer trees"). */
const LIST_FILLERS = new Set(['and', 'or', 'more', 'less', 'most', 'few', 'fewer', 'other']);

/**
 * A sentence that is only a list of noun phrases ("bias, variance, underfitting, training error,
 * learning curves, ..."): four or more comma-separated segments, nearly all short and free of
 * function words, and no verb anywhere. Such a list names topics; a key point is a claim.
 */
function isBareList(list: readonly Piece[]): boolean {
  const segments: Piece[][] = [[]];
  for (const piece of list) {
    if (piece.lower === ',' || piece.lower === ';') segments.push([]);
    else if (!piece.boundary) (segments[segments.length - 1] as Piece[]).push(piece);
    if (!piece.boundary && (VERB_CUES.has(piece.lower) || isNegationCue(piece.lower))) return false;
  }
  const filled = segments.filter((segment) => segment.length > 0);
  if (filled.length < LIST_MIN_SEGMENTS) return false;
  const bare = filled.filter((segment) => segment.length <= BARE_MAX_WORDS && segment.every((piece) => !isStopWord(piece.lower) || LIST_FILLERS.has(piece.lower)));
  return bare.length >= LIST_BARE_SHARE * filled.length;
}

/** Tokens of one sentence; `position` continues from `firstPosition`. */
function tokensOf(text: string, sentence: number, firstPosition: number): Token[] {
  const list = pieces(text);
  const listed = isBareList(list);
  const tokens: Token[] = [];
  let scope = 0;
  let contrast = false;
  for (let i = 0; i < list.length; i += 1) {
    const piece = list[i] as Piece;
    const next = list[i + 1]?.lower ?? '';
    if (piece.boundary || SCOPE_BREAKERS.has(piece.lower) || ((piece.lower === 'and' || piece.lower === 'or') && CLAUSE_STARTERS.has(next))) {
      scope = 0;
      continue;
    }
    if (TWO_WORD_CUES.has(`${piece.lower} ${next}`)) {
      scope = MAX_SCOPE_WORDS;
      contrast = !piece.lower.startsWith('fail');
      i += 1;
      continue;
    }
    if (isNegationCue(piece.lower)) {
      if (!NOT_A_NEGATION_AFTER[piece.lower]?.has(next)) {
        scope = MAX_SCOPE_WORDS;
        contrast = CONTRAST_CUES.has(piece.lower);
      }
      continue;
    }
    // "non-linear", "non-zero": the hyphenated prefix negates the next word only.
    if (piece.lower === 'non' && next) {
      if (scope === 0) contrast = true;
      scope = Math.max(scope, 1);
      continue;
    }
    const negated = scope > 0;
    if (scope > 0) scope -= 1;
    if (!isContent(piece.lower)) continue;
    tokens.push({ word: piece.lower, stem: matchStem(piece.lower), sentence, position: firstPosition + tokens.length, slot: i, negated, contrast: negated && contrast, upper: piece.upper, listed });
  }
  return tokens;
}

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'eg', 'ie', 'etc', 'vs', 'cf', 'approx', 'resp', 'fig', 'eq', 'no', 'dr', 'mr', 'mrs', 'ms', 'st', 'al']);
/** An indented line, or one that starts like a statement of Python-like code (not a bullet). */
const CODE_LINE = /^(?:\t| {4})\s*(?![-*•]\s)\S|^\s*(?:def|class|return|import|from\s+\S+\s+import|for\s+\S+\s+in|while|elif|else:|try:|except)\b.*$|^\s*#\s*\S/;
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/;

/**
 * Sentences (and bullet lines) as verbatim slices of `text`. Splits after . ! ? ; before any
 * non-space, so answers typed in lower case split too; "e.g. x", "3.5" and initials stay intact.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start] ?? '')) start += 1;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end -= 1;
    if (end > start) out.push({ text: text.slice(start, end), start, end });
  };
  const lineBreak = /\r?\n|\r/g;
  let lineStart = 0;
  const lines: [number, number][] = [];
  for (const match of text.matchAll(lineBreak)) {
    lines.push([lineStart, match.index]);
    lineStart = match.index + match[0].length;
  }
  lines.push([lineStart, text.length]);
  // Consecutive lines of code (a fenced block, indented or def/class/return lines) form one sentence:
  // a statement's meaning spans lines, and "." or ";" in code do not end sentences.
  let fenced = false;
  let block: [number, number] | undefined;
  const flush = () => {
    if (block) push(block[0], block[1]);
    block = undefined;
  };
  for (const [from, to] of lines) {
    const line = text.slice(from, to);
    if (/^\s*```/.test(line)) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced || CODE_LINE.test(line)) {
      block = block ? [block[0], to] : [from, to];
      continue;
    }
    flush();
    const bullet = BULLET.exec(line);
    let start = from + (bullet ? bullet[0].length : 0);
    const boundary = /[.!?;]+(?=\s+\S)/g;
    boundary.lastIndex = start - from;
    for (let match = boundary.exec(line); match; match = boundary.exec(line)) {
      const before = /([\p{L}.]+)$/u.exec(line.slice(0, match.index))?.[1]?.toLowerCase() ?? '';
      if (match[0] === '.' && (ABBREVIATIONS.has(before.replace(/\.$/, '')) || /^\p{L}$/u.test(before))) continue;
      const end = from + match.index + match[0].length;
      push(start, end);
      start = end;
    }
    push(start, to);
  }
  flush();
  return out;
}

/** Splits `text` into sentences (verbatim slices) and content tokens. */
export function analyzeText(text: string): AnalyzedText {
  const sentences = splitSentences(text);
  const tokens: Token[] = [];
  sentences.forEach((sentence, index) => {
    tokens.push(...tokensOf(sentence.text, index, tokens.length));
  });
  return { sentences, tokens };
}

/** Distinct content stems of a text (negated or not). */
export function stemSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const token of analyzeText(text).tokens) out.add(token.stem);
  return out;
}

/**
 * The analysed text without some sentences: the rest keep their verbatim slices and are renumbered,
 * so the sentences on either side of a removed one become neighbours.
 */
export function withoutSentences(text: AnalyzedText, removed: ReadonlySet<number>): AnalyzedText {
  const index = new Map<number, number>();
  const sentences = text.sentences.filter((_, i) => {
    if (removed.has(i)) return false;
    index.set(i, index.size);
    return true;
  });
  const tokens: Token[] = [];
  for (const token of text.tokens) {
    const sentence = index.get(token.sentence);
    if (sentence !== undefined) tokens.push({ ...token, sentence, position: tokens.length });
  }
  return { sentences, tokens };
}
