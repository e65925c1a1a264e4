import { stemmer } from 'stemmer';

/**
 * English stop words plus filler common in spoken answers. Kept small on purpose: words such as
 * "not", "no", "without", "more", "less", "higher", "lower" carry meaning in ML answers and stay.
 */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers
  herself him himself his how i if in into is it its itself just me my myself of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves then there these
  they this those through to too under until up very was we were what when where which while who whom why will with
  would you your yours yourself yourselves also like well um uh basically actually really maybe kind sort thing things
  just let lets get got gets use used using one way may might must shall us it's i'm you're we're they're that's
  there's what's don't doesn't isn't aren't wasn't weren't`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that flip the meaning of the phrase after them. */
export const NEGATIONS = new Set(['not', 'no', 'never', 'without', "n't", 'cannot', 'neither', 'nor', 'none', 'nothing', "doesn't", "don't", "isn't", "aren't", "can't", "won't", "shouldn't", "wasn't", "weren't"]);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Lower-cased word tokens; keeps digits, intra-word hyphens/apostrophes and simple symbols like `@k`. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+(?:['\-.][\p{L}\p{N}]+)*/gu) ?? []
  ).map((word) => word.replace(/'s$/, ''));
}

const stemCache = new Map<string, string>();

export function stem(word: string): string {
  let value = stemCache.get(word);
  if (value === undefined) {
    value = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, value);
  }
  return value;
}

/** Content-word stems: the unit of lexical matching for retrieval and grading. */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    for (const part of word.split('-')) {
      if (part.length === 0 || STOP_WORDS.has(part)) continue;
      out.push(stem(part));
    }
  }
  return out;
}

/** Splits an answer into sentences (and bullet lines), keeping the original text for quoting. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n+/)) {
    const trimmed = block.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim();
    if (!trimmed) continue;
    // Split after . ! ? ; when followed by space and an upper-case letter, digit or quote; keeps "e.g. x" intact.
    const parts = trimmed.split(/(?<=[.!?;])\s+(?=[A-Z0-9"'(])/);
    for (const part of parts) {
      const sentence = part.trim();
      if (sentence) out.push(sentence);
    }
  }
  return out;
}
