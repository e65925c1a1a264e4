import type { KeyPoint, Rubric } from '../core/ports/grader.js';
import { UserFacingError } from '../shared/result.js';
import { analyzeText, splitSentences, stemSet } from './analyze.js';

/** Most key points a rubric may have (the rubric schema's limit). */
const MAX_POINTS = 14;
/** A clause needs this many content words not taken from the question to stand as its own point. */
const MIN_NEW_WORDS = 3;

/** Where a long sentence may be split into clauses: after ";" or ":", or before a linking word after a comma. */
const CLAUSE_BREAK = /(?<=[;:])\s+|,\s+(?=(?:and|but|so|while|whereas|because|which|although|though|then|otherwise)\b)|\s+(?=(?:because|whereas|so that)\b)/i;

function newWords(text: string, questionStems: ReadonlySet<string>): number {
  return new Set(analyzeText(text).tokens.filter((token) => !questionStems.has(token.stem)).map((token) => token.stem)).size;
}

function clauses(sentence: string): string[] {
  return sentence
    .split(CLAUSE_BREAK)
    .map((part) => part.trim().replace(/^(?:and|but|so|then)\s+/i, ''))
    .filter((part) => part.length > 0);
}

/** Joins neighbouring pieces until each says enough on its own. */
function mergeSmall(pieces: string[], questionStems: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    const previous = out[out.length - 1];
    if (previous !== undefined && (newWords(piece, questionStems) < MIN_NEW_WORDS || newWords(previous, questionStems) < MIN_NEW_WORDS)) {
      out[out.length - 1] = `${previous} ${piece}`;
    } else {
      out.push(piece);
    }
  }
  return out;
}

/** Merges the adjacent pair with the fewest words until at most `limit` pieces remain. */
function fitTo(pieces: string[], limit: number): string[] {
  const out = [...pieces];
  while (out.length > limit) {
    let best = 0;
    let bestLength = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < out.length; i += 1) {
      const length = (out[i] as string).length + (out[i + 1] as string).length;
      if (length < bestLength) {
        best = i;
        bestLength = length;
      }
    }
    out.splice(best, 2, `${out[best] as string} ${out[best + 1] as string}`);
  }
  return out;
}

/**
 * A rubric derived from a reference answer alone: one key point per sentence or clause that adds
 * something beyond the question, equal weights, no must-haves and no misconceptions, so the same
 * offline grader can grade against it.
 */
export function rubricFromReference(question: string, reference: string): Rubric {
  const questionStems = stemSet(question);
  const pieces = splitSentences(reference).flatMap((sentence) => (newWords(sentence.text, questionStems) >= 2 * MIN_NEW_WORDS ? clauses(sentence.text) : [sentence.text]));
  const points = fitTo(mergeSmall(pieces, questionStems), MAX_POINTS).filter((piece) => newWords(piece, questionStems) > 0);
  if (points.length === 0) {
    throw new UserFacingError('grading.empty-reference', 'The reference answer says nothing beyond the question, so there is nothing to grade against.');
  }
  const keyPoints: KeyPoint[] = points.map((text, index) => ({ id: `kp${index + 1}`, text, weight: 1, mustHave: false, match: [], notes: [] }));
  return { keyPoints, misconceptions: [], modelAnswer: reference.trim(), hints: [], followUps: [] };
}
