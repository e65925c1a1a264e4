import type { KeyPoint, Rubric } from '../core/ports/grader.js';
import { UserFacingError } from '../shared/result.js';
import { analyzeText, splitSentences, stemSet } from './analyze.js';

/** Most key points a rubric may have (the rubric schema's limit). */
const MAX_POINTS = 14;
/** A piece needs this many content words not taken from the question to stand as its own point. */
const MIN_NEW_WORDS = 3;
/** Sentences with fewer new words than this stay whole. */
const SPLIT_FROM_NEW_WORDS = 2 * MIN_NEW_WORDS;

/** Where a long sentence may be split into clauses: at a comma before a linking word. */
const CLAUSE_BREAK = /,\s+(?=(?:and|but|so|while|whereas|because|which|although|though|then|otherwise)\b)|\s+(?=(?:because|whereas|so that)\b)/gi;

/** A slice of the reference text. */
interface Piece {
  start: number;
  end: number;
}

function newWords(text: string, questionStems: ReadonlySet<string>): number {
  return new Set(analyzeText(text).tokens.filter((token) => !questionStems.has(token.stem)).map((token) => token.stem)).size;
}

function clauses(reference: string, sentence: Piece): Piece[] {
  const text = reference.slice(sentence.start, sentence.end);
  const out: Piece[] = [];
  let start = 0;
  for (const match of text.matchAll(CLAUSE_BREAK)) {
    out.push({ start: sentence.start + start, end: sentence.start + match.index });
    start = match.index + match[0].length;
  }
  out.push({ start: sentence.start + start, end: sentence.end });
  return out.filter((piece) => piece.end > piece.start);
}

/**
 * A rubric derived from a reference answer alone: one key point per sentence, or per clause of a
 * long sentence, that adds something beyond the question (short pieces join their neighbour),
 * equal weights, no must-haves and no misconceptions, so the same offline grader can grade
 * against it.
 */
export function rubricFromReference(question: string, reference: string): Rubric {
  const questionStems = stemSet(question);
  const words = (piece: Piece) => newWords(reference.slice(piece.start, piece.end), questionStems);
  const pieces = splitSentences(reference).flatMap((sentence) => (words(sentence) >= SPLIT_FROM_NEW_WORDS ? clauses(reference, sentence) : [sentence]));

  // Join pieces that say too little on their own to their neighbour (the text in between is kept).
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const previous = merged[merged.length - 1];
    if (previous && (words(piece) < MIN_NEW_WORDS || words(previous) < MIN_NEW_WORDS)) previous.end = piece.end;
    else merged.push({ ...piece });
  }
  while (merged.length > MAX_POINTS) {
    let best = 0;
    for (let i = 1; i + 1 < merged.length; i += 1) {
      const size = (index: number) => (merged[index + 1] as Piece).end - (merged[index] as Piece).start;
      if (size(i) < size(best)) best = i;
    }
    const [first, second] = [merged[best] as Piece, merged[best + 1] as Piece];
    merged.splice(best, 2, { start: first.start, end: second.end });
  }

  const texts = merged.map((piece) => reference.slice(piece.start, piece.end).trim().replace(/[,;:]$/, '')).filter((text) => newWords(text, questionStems) > 0);
  if (texts.length === 0) {
    throw new UserFacingError('grading.empty-reference', 'The reference answer says nothing beyond the question, so there is nothing to grade against.');
  }
  const keyPoints: KeyPoint[] = texts.map((text, index) => ({ id: `kp${index + 1}`, text, weight: 1, mustHave: false, match: [], notes: [] }));
  const rubric: Rubric = { keyPoints, misconceptions: [], modelAnswer: reference.trim(), hints: [], followUps: [] };
  DERIVED.add(rubric);
  return rubric;
}

/** Rubrics made by `rubricFromReference`: graded with the whole-answer signal and a gentler calibration. */
const DERIVED = new WeakSet<Rubric>();

/** True for a rubric derived from a reference answer alone (not written by hand). */
export function isDerivedRubric(rubric: Rubric): boolean {
  return DERIVED.has(rubric);
}
