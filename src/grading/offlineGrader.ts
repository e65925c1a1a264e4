import type { WordVectors } from '../core/ports/embedder.js';
import type { CriterionResult, EvidenceChecker, Grader, GradeRequest, GradeResult, MisconceptionResult } from '../core/ports/grader.js';
import { analyzeText, withoutSentences, type AnalyzedText } from './analyze.js';
import { candidatesExcluding, candidatesWithin, coverItem, findCandidates, newContentPerSentence, type Candidate, type CoverOptions, type ItemCoverage } from './align.js';
import { calibrate, calibrateReference, GATED_CAP, MISCONCEPTION_DETECTED, MISCONCEPTION_TERM_SHARE, POINT_MET, POINT_TOUCHED, REFERENCE_GATE } from './calibration.js';
import { verdictFor } from '../core/gradingPolicy.js';
import { isDerivedRubric } from './reference.js';
import { contradictsFormula, deniesPoint, isFragment, isListLike, reversesPoint, sideTermsOf, swappedSubject } from './claimCheck.js';
import { alignWholeAnswer } from './wholeAnswer.js';
import { applyRubricCaps, renderFeedback, type ScoreCap } from './feedback.js';
import { formatAlignment } from './explain.js';
import { PreparedRubricCache, type PreparedItem, type PreparedRubric } from './prepare.js';

export interface OfflineGraderOptions {
  /**
   * Longer answers are graded on their first this-many characters (with a notice). Default 12,000:
   * a whole system design (every phase's answer joined) fits, and grading it takes ~20 ms.
   */
  maxAnswerChars?: number;
}

const DEFAULT_MAX_ANSWER_CHARS = 12_000;

/** Most a point made only by a bare term (no predicate) can earn: recognition, about a fifth. */
export const FRAGMENT_CREDIT = 0.2;
/** A fact tied to the wrong subject costs like a small misconception on top of losing the point. */
const SWAP_PENALTY = 10;

/** Key points may be made across two adjacent sentences, with any word-vector match in context. */
const POINT_WINDOWS: CoverOptions = { sentences: 2, minSoftCredit: 0 };
/** A misconception must be asserted within one sentence, in words close to its own. */
const MISCONCEPTION_WINDOWS: CoverOptions = { sentences: 1, minSoftCredit: 0.75 };

/** The user distances themself from the statement ("a common mistake is to think ..."). */
const DISTANCING = /\b(?:mistakes?|misconceptions?|myths?|wrong(?:ly)?|incorrect(?:ly)?|misleading|fallac(?:y|ies)|not true|isn't true|people (?:think|assume|believe)|misread|misinterpret\w*)\b/i;

/** Instructions aimed at the grader. They change nothing; the user is told so. */
const INSTRUCTIONS = /\b(?:ignore|disregard|forget)\b[^.!?\n]{0,40}\b(?:rubric|instructions?|previous|above|grader|grading)\b|\b(?:give|award|grade|score)\s+(?:me|this|it|the answer)?\s*(?:a\s+)?(?:100|full (?:marks|score|points)|perfect|maximum)/i;

function truncate(answer: string, limit: number): { text: string; truncated: boolean } {
  if (answer.length <= limit) return { text: answer, truncated: false };
  const head = answer.slice(0, limit);
  const cut = Math.max(head.lastIndexOf('. '), head.lastIndexOf('\n'), head.lastIndexOf('? '), head.lastIndexOf('! '));
  return { text: cut > limit / 2 ? head.slice(0, cut + 1) : head, truncated: true };
}

function evidenceOf(answer: AnalyzedText, source: string, match: ItemCoverage): string | null {
  if (match.firstSentence === undefined || match.lastSentence === undefined) return null;
  const first = answer.sentences[match.firstSentence];
  const last = answer.sentences[match.lastSentence];
  return first && last ? source.slice(first.start, last.end) : null;
}

/**
 * Scores every key point; a point whose aligned words were all already used by better-covered
 * points is re-scored without them (explaining away, after the one-to-one alignment of Sultan et
 * al.). Otherwise "precision-recall curve" would also earn "precision at a fixed recall", and one
 * sentence about the false positive rate two points. A point that adds words of its own keeps its
 * match, so one rich sentence can still make several points. Question words are shared by design.
 */
function assignPoints(prepared: PreparedRubric, answer: AnalyzedText, candidates: Candidate[][], newContent: number[]): ItemCoverage[] {
  const cover = (item: PreparedItem, pool: Candidate[][]) => {
    const match = coverItem(item, pool, newContent, POINT_WINDOWS);
    return item.needsQuantity ? coverQuantified(item, match, answer, pool, newContent) : match;
  };
  const independent = prepared.points.map((item) => cover(item, candidates));
  const order = independent.map((_, index) => index).sort((a, b) => (independent[b] as ItemCoverage).score - (independent[a] as ItemCoverage).score || a - b);
  const claimed = new Set<number>();
  const result: ItemCoverage[] = [...independent];
  const ownPositions = (item: PreparedItem, match: ItemCoverage) =>
    match.aligned.filter((entry) => !item.variants[match.variant]?.uses[entry.use]?.inQuestion).map((entry) => entry.position);
  for (const index of order) {
    const item = prepared.points[index] as PreparedItem;
    let match = independent[index] as ItemCoverage;
    const own = ownPositions(item, match);
    if (own.length > 0 && own.every((position) => claimed.has(position))) match = cover(item, candidatesExcluding(candidates, claimed));
    result[index] = match;
    if (match.score >= POINT_TOUCHED) for (const position of ownPositions(item, match)) claimed.add(position);
  }
  return result;
}

/**
 * Best score of a point that asks for a quantified result when no amount is stated in its sentences
 * or the next one: "we got good results" names a result but does not quantify it.
 */
export const QUANTITY_MISSING_CAP = 0.35;

/** Score of a quantified-result point for a sentence that states a measured change, whatever its wording. */
export const QUANTIFIED_CHANGE_CREDIT = 0.7;
/** Verbs and adverbs of a measured change. */
const CHANGE = /\b(?:increas|decreas|ris[ei]|rose|fell|fall|drop|reduc|cut|improv|sav(?:e|ed|ing)\b|grew|grow|lift|boost|gain|lower|rais|doubl|halv|tripl|shr[aiu]nk|up\b|down\b)/i;

/** Words that state an amount without digits ("cut losses by a third", "saved millions"). */
const QUANTITY_WORDS = new Set([
  'percent', 'percentage', 'percentages', 'pct', 'hundred', 'hundreds', 'thousand', 'thousands', 'million', 'millions', 'billion',
  'billions', 'dozen', 'dozens', 'half', 'halved', 'third', 'thirds', 'quarter', 'quarters', 'double', 'doubled', 'tripled', 'twice',
  'fold', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twenty', 'thirty', 'forty', 'fifty',
]);

/** Per sentence of the answer: does it state an amount? */
function quantitySentences(answer: AnalyzedText): boolean[] {
  const out = answer.sentences.map(() => false);
  for (const token of answer.tokens) if (/\d/.test(token.word) || QUANTITY_WORDS.has(token.word)) out[token.sentence] = true;
  return out;
}

/**
 * A point that asks for a quantified result, scored only on sentences that state an amount (or lead
 * into one: "The result was clear. Churn fell 4 points."); elsewhere it earns at most
 * QUANTITY_MISSING_CAP.
 */
function coverQuantified(item: PreparedItem, match: ItemCoverage, answer: AnalyzedText, candidates: Candidate[][], newContent: number[]): ItemCoverage {
  const quantified = quantitySentences(answer);
  const near = (sentence: number) => quantified[sentence] === true || quantified[sentence + 1] === true;
  let best = match;
  let stated = false;
  if (match.firstSentence !== undefined && match.lastSentence !== undefined) {
    for (let s = match.firstSentence; s <= match.lastSentence; s += 1) stated ||= near(s);
  }
  if (!stated) {
    const within = match.score > 0 ? coverItem(item, candidates.map((list) => list.filter((candidate) => near(candidate.sentence))), newContent, POINT_WINDOWS) : match;
    best = within.score >= Math.min(match.score, QUANTITY_MISSING_CAP) ? within : { ...match, score: Math.min(match.score, QUANTITY_MISSING_CAP) };
  }
  if (best.score >= QUANTIFIED_CHANGE_CREDIT) return best;
  // A measured change ("waste fell by 12%", "reviews down a third") is a quantified result in any words.
  const sentence = answer.sentences.findIndex((entry, index) => quantified[index] === true && CHANGE.test(entry.text));
  if (sentence < 0) return best;
  return { coverage: best.coverage, termShare: best.termShare, aligned: [], firstSentence: sentence, lastSentence: sentence, variant: best.variant, score: QUANTIFIED_CHANGE_CREDIT };
}

/** A misconception counts only when nearly all of its own words are there, not just its topic. */
function looksAsserted(match: ItemCoverage): boolean {
  return match.coverage >= MISCONCEPTION_DETECTED && match.termShare >= MISCONCEPTION_TERM_SHARE;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

interface Alignment {
  /** The graded text (the answer, truncated when too long). */
  text: string;
  notices: string[];
  answer: AnalyzedText;
  prepared: PreparedRubric;
  candidates: Candidate[][];
  newContent: number[];
  points: ItemCoverage[];
  misconceptionMatches: ItemCoverage[];
}

/**
 * Rubric grader that needs no network: per key point, the best alignment of any of its phrasings
 * with one sentence (or two adjacent ones) of the answer, demoting words taken from the question;
 * misconceptions are matched the same way and cost their penalty. Deterministic.
 */
export class OfflineGrader implements Grader, EvidenceChecker {
  private readonly cache: PreparedRubricCache;
  private readonly maxAnswerChars: number;

  constructor(
    private readonly vectors: WordVectors,
    options: OfflineGraderOptions = {},
  ) {
    this.cache = new PreparedRubricCache(vectors);
    this.maxAnswerChars = options.maxAnswerChars ?? DEFAULT_MAX_ANSWER_CHARS;
  }

  async grade(request: GradeRequest): Promise<GradeResult> {
    return this.gradeNow(request);
  }

  isInstruction(text: string): boolean {
    return INSTRUCTIONS.test(text);
  }

  /**
   * Whether a quote makes one key point, alone or completed by the sentence before it (a point may
   * span two sentences, "It stays high. That is because ..."), by the same matcher and claim checks as a
   * full grade, so a paraphrase passes and a denial, a swap or an instruction does not.
   */
  supportsPoint(request: GradeRequest, pointId: string, evidence: string): boolean {
    const point = request.rubric.keyPoints.find((item) => item.id === pointId);
    if (!point || this.isInstruction(evidence)) return false;
    const single = { ...request.rubric, keyPoints: [point], misconceptions: [] };
    const made = (text: string) => (this.gradeNow({ question: request.question, answer: text, rubric: single }).criteria[0]?.score ?? 0) >= POINT_TOUCHED;
    if (made(evidence)) return true;
    const answer = analyzeText(request.answer);
    const at = request.answer.indexOf(evidence);
    const index = at < 0 ? -1 : answer.sentences.findIndex((sentence) => sentence.end > at);
    const before = index > 0 ? answer.sentences[index - 1] : undefined;
    // The quote must carry the point: a sentence before it that makes the point alone does not lend it.
    if (before === undefined || this.isInstruction(before.text) || made(before.text)) return false;
    return made(request.answer.slice(before.start, at + evidence.length));
  }

  /** How each key point and misconception aligned with the answer: for debugging rubrics and the grader. */
  explain(request: GradeRequest): string {
    const { answer, prepared, points, misconceptionMatches } = this.align(request);
    return formatAlignment(request.rubric, prepared, answer, points, misconceptionMatches);
  }

  private align(request: GradeRequest): Alignment {
    const notices: string[] = [];
    const { text, truncated } = truncate(request.answer, this.maxAnswerChars);
    if (truncated) notices.push(`Only the first ${text.length.toLocaleString('en-US')} characters of the answer were graded.`);
    if (INSTRUCTIONS.test(text)) notices.push('Instructions inside an answer are ignored; only its content is graded.');
    const prepared = this.cache.get(request.question, request.rubric);
    const answer = analyzeText(text);
    const candidates = findCandidates(prepared, answer, this.vectors);
    const newContent = newContentPerSentence(prepared, answer);
    const points = assignPoints(prepared, answer, candidates, newContent);
    const misconceptionMatches = prepared.misconceptions.map((item) => coverItem(item, candidates, newContent, MISCONCEPTION_WINDOWS));
    return { text, notices, answer, prepared, candidates, newContent, points, misconceptionMatches };
  }

  /**
   * Key points re-aligned without the sentences that assert a misconception: a wrong sentence earns
   * no credit, and the sentences around it are read as neighbours, so a point made across them keeps
   * the credit it would have without the wrong sentence in between.
   */
  private pointsWithout(alignment: Alignment, sentences: ReadonlySet<number>): { answer: AnalyzedText; points: ItemCoverage[] } {
    const answer = withoutSentences(alignment.answer, sentences);
    const candidates = findCandidates(alignment.prepared, answer, this.vectors);
    return { answer, points: assignPoints(alignment.prepared, answer, candidates, newContentPerSentence(alignment.prepared, answer)) };
  }

  /**
   * True when the sentences of a misconception match also state one of its words with the opposite
   * polarity ("a random forest doesn't overfit as you add trees, boosting does"): a sentence that
   * negates the claim is not the claim.
   */
  private negatesIt(alignment: Alignment, itemIndex: number, match: ItemCoverage): boolean {
    if (match.firstSentence === undefined || match.lastSentence === undefined) return false;
    const variant = alignment.prepared.misconceptions[itemIndex]?.variants[match.variant];
    if (!variant) return false;
    const [first, last] = [match.firstSentence, match.lastSentence];
    // Words the match itself aligned agree in meaning, even when the subject stands before the "not".
    const aligned = new Set(match.aligned.map((entry) => entry.position));
    // A term the phrasing denies only because its "no" scope reaches it ("no clipping needed for lstm")
    // and that the match found with that polarity is confirmed: another, plain mention of it in the
    // sentence ("the LSTM uses gates ... with an LSTM you don't need clipping") denies nothing.
    const confirmed = new Set(match.aligned.map((entry) => entry.use));
    return variant.uses.some((use, index) =>
      !(use.negated && confirmed.has(index)) &&
      (alignment.candidates[use.term] ?? []).some(
        (candidate) => candidate.lexical && candidate.credit >= 0.85 && candidate.sentence >= first && candidate.sentence <= last && candidate.negated !== use.negated && !aligned.has(candidate.position),
      ),
    );
  }

  /**
   * True when the sentences that look like a misconception match some key point better: a
   * misconception is often a correct point with two things swapped ("boosting reduces variance"),
   * and a correct sentence that shares its words must not cost a penalty. On a tie the
   * misconception stands.
   */
  private statesAPointInstead(alignment: Alignment, match: ItemCoverage): boolean {
    if (match.firstSentence === undefined || match.lastSentence === undefined) return false;
    const local = candidatesWithin(alignment.candidates, match.firstSentence, match.lastSentence);
    return alignment.prepared.points.some((item) => coverItem(item, local, alignment.newContent, MISCONCEPTION_WINDOWS).coverage > match.coverage);
  }

  /**
   * Takes back credit the words earned but the claim did not: a denied point, a point whose
   * attribute the answer tied to another subject (named as a misconception with its correction),
   * and a point made only by a bare term earns recognition credit at most.
   */
  private checkClaims(request: GradeRequest, criteria: CriterionResult[], misconceptions: MisconceptionResult[]): void {
    const points = request.rubric.keyPoints;
    const sides = sideTermsOf(request.question, points.map((point) => point.text));
    const listLike = isListLike(request.answer);
    criteria.forEach((criterion, index) => {
      const point = points[index];
      if (!point || !criterion.evidence || criterion.score < POINT_TOUCHED) return;
      const phrasings = [point.text, ...point.match];
      const side = sides[index] ?? { own: new Set<string>(), others: new Set<string>() };
      const counterparts = points.filter((_, other) => [...(sides[other]?.own ?? [])].some((stem) => side.others.has(stem))).flatMap((other) => [other.text, ...other.match]);
      const swapped = swappedSubject(phrasings, counterparts, side, criterion.evidence, request.answer);
      if (swapped) {
        misconceptions.push({ text: `Tied to the wrong subject: ${point.text}`, penalty: SWAP_PENALTY, correction: `You said this of "${swapped}"; it holds for the other side: ${point.text}`, evidence: criterion.evidence });
        Object.assign(criterion, { score: 0, met: false, evidence: null });
        return;
      }
      if (deniesPoint(phrasings, criterion.evidence) || reversesPoint(phrasings, criterion.evidence) || contradictsFormula(phrasings, criterion.evidence)) {
        Object.assign(criterion, { score: 0, met: false, evidence: null });
        return;
      }
      if (listLike && isFragment(criterion.evidence) && criterion.score > FRAGMENT_CREDIT) Object.assign(criterion, { score: FRAGMENT_CREDIT, met: FRAGMENT_CREDIT >= POINT_MET });
    });
  }

  /** Synchronous form of `grade`, for batch tools. */
  gradeNow(request: GradeRequest): GradeResult {
    const alignment = this.align(request);
    const { text, notices, prepared, misconceptionMatches } = alignment;
    const { rubric } = request;

    const misconceptions: MisconceptionResult[] = [];
    const wrongSentences = new Set<number>();
    rubric.misconceptions.forEach((item, index) => {
      const match = misconceptionMatches[index];
      const evidence = match ? evidenceOf(alignment.answer, text, match) : null;
      if (!match || !evidence || !looksAsserted(match)) return;
      // "Wrong" in the user's sentence distances them from the claim, unless the claim itself says "wrong".
      if (DISTANCING.test(evidence) && !DISTANCING.test([item.text, ...item.match].join(' '))) return;
      if (this.negatesIt(alignment, index, match)) return;
      if (this.statesAPointInstead(alignment, match)) return;
      for (let s = match.firstSentence as number; s <= (match.lastSentence as number); s += 1) wrongSentences.add(s);
      misconceptions.push({ text: item.text, penalty: item.penalty, ...(item.correction ? { correction: item.correction } : {}), evidence });
    });
    const { answer, points } = wrongSentences.size > 0 ? this.pointsWithout(alignment, wrongSentences) : alignment;

    const criteria: CriterionResult[] = rubric.keyPoints.map((point, index) => {
      const match = points[index];
      const score = match ? match.score : 0;
      return {
        id: point.id,
        point: point.text,
        weight: point.weight,
        mustHave: point.mustHave,
        score: round2(score),
        met: score >= POINT_MET,
        // Quoted only for points at least partly made (feedback's "Partly covered ... Closest").
        evidence: match && score >= POINT_TOUCHED ? evidenceOf(answer, text, match) : null,
        notes: point.notes,
      };
    });

    if (!isDerivedRubric(rubric)) this.checkClaims(request, criteria, misconceptions);

    const totalWeight = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
    const covered = totalWeight > 0 ? criteria.reduce((sum, criterion) => sum + criterion.weight * criterion.score, 0) / totalWeight : 0;
    // A rubric derived from a reference answer also gets the whole-answer alignment and a gentler calibration.
    const overall = isDerivedRubric(rubric) ? alignWholeAnswer(prepared, answer, points === alignment.points ? alignment.candidates : findCandidates(prepared, answer, this.vectors)) : undefined;
    let score = (overall ? calibrateReference(covered, overall.coverage) : calibrate(covered)) - misconceptions.reduce((sum, item) => sum + item.penalty, 0);

    const caps: ScoreCap[] = [];
    const best = criteria.reduce((max, criterion) => Math.max(max, criterion.score), 0);
    const whole = alignment.answer;
    const newStems = new Set(whole.tokens.filter((token) => !prepared.questionStems.has(token.stem)).map((token) => token.stem));
    if (whole.tokens.length === 0) caps.push({ kind: 'gated', reason: 'empty' });
    else if (newStems.size < 2 && best < POINT_MET) caps.push({ kind: 'gated', reason: 'nothing-new' });
    else if (best < POINT_TOUCHED && (!overall || overall.coverage < REFERENCE_GATE)) caps.push({ kind: 'gated', reason: 'no-match' });
    if (caps.length > 0) score = Math.min(score, GATED_CAP);

    score = applyRubricCaps(score, criteria, request.maxScore, caps);

    const final = Math.round(Math.min(100, Math.max(0, score)));
    return {
      score: final,
      verdict: verdictFor(final),
      grader: 'offline',
      criteria,
      misconceptions,
      feedback: renderFeedback(criteria, misconceptions, caps),
      notices,
    };
  }
}
