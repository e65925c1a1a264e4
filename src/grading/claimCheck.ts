import { contentStems, words } from '../text/tokenize.js';

/**
 * Checks that the words a point was matched on make the point's claim, not just its vocabulary:
 * the clause that carries the point's words must keep the point's polarity and bind its attribute
 * to the same subject. Word matching alone credits "precision is NOT TP/(TP+FP)" and "bagging
 * reduces bias, boosting reduces variance"; these checks take that credit back.
 */

const SENTENCE_BREAK = /(?<=[.!?])\s+|\n+/;
/** A leading bullet or list number, not part of the text. */
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s*/;

/** Clause boundaries inside a sentence: where one claim ends and the next begins. */
const CLAUSE_BREAK = /\s*(?:[;,]\s*(?:and|but|while|whereas)?|\s(?:and|but|while|whereas|whilst|although|though|unlike|however)\s)\s*/i;

function clauses(evidence: string): string[] {
  return evidence
    .split(SENTENCE_BREAK)
    .flatMap((sentence) => sentence.split(CLAUSE_BREAK))
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0);
}

function overlap(stems: ReadonlySet<string>, text: string): number {
  let count = 0;
  for (const stem of new Set(contentStems(text))) if (stems.has(stem)) count += 1;
  return count;
}

/** The clause of the evidence that shares most of these stems (first on ties). */
function bestClause(stems: ReadonlySet<string>, evidence: string): { clause: string; shared: number } | undefined {
  let best: { clause: string; shared: number } | undefined;
  for (const clause of clauses(evidence)) {
    const shared = overlap(stems, clause);
    if (shared > (best?.shared ?? 0)) best = { clause, shared };
  }
  return best;
}

/** Cues that deny what follows them in a clause. */
const DENIAL = /^(?:not|never|cannot|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|won't)$/;
const DENIAL_PHRASE = /\b(?:no longer|rather than|instead of|as opposed to)\b/i;
/** Any sign that a phrasing is itself stated in the negative (then denial is not a flip). */
const NEGATIVE_PHRASING = /\b(?:not|no|never|without|nothing|none|neither|nor|cannot|instead|rather|unlike|longer|prevent\w*|avoid\w*|stop\w*|block\w*|lack\w*|exclud\w*|free|less|fewer|only|ignor\w*|hides?|hidden)\b|n't\b/i;

/**
 * True when the clause that carries a positive point denies it: a denial cue directly governs
 * (within two words before) a word of the point. "precision is not TP/(TP+FP)" denies
 * "precision is TP/(TP+FP)"; "it doesn't copy" says nothing against "assignment does not copy".
 */
export function deniesPoint(phrasings: readonly string[], evidence: string): boolean {
  if (phrasings.some((text) => NEGATIVE_PHRASING.test(text))) return false;
  const stems = new Set(phrasings.flatMap((text) => contentStems(text)));
  const best = bestClause(stems, evidence);
  if (!best || best.shared < 3) return false;
  const clause = best.clause.replace(DENIAL_PHRASE, ' not ');
  const tokens = clause.toLowerCase().split(/[^a-z0-9'()+/]+/).filter(Boolean);
  return tokens.some((token, index) => DENIAL.test(token) && tokens.slice(index + 1, index + 3).some((next) => contentStems(next).some((stem) => stems.has(stem))));
}

/** Opposite directions: a point that says one and a clause that says the other disagree. */
const OPPOSITES: readonly (readonly [RegExp, RegExp])[] = [
  [/\b(?:increas\w*|rais\w*|ris\w*|rose|grow\w*|grew|higher|larger|bigger|greater|inflat\w*|overestimat\w*)\b/i, /\b(?:decreas\w*|reduc\w*|lower\w*|drop\w*|fall\w*|fell|shrink\w*|smaller|deflat\w*|underestimat\w*)\b/i],
  [/\bbefore\b/i, /\bafter\b/i],
  [/\b(?:faster|quicker|speeds? up)\b/i, /\b(?:slower|slows? down)\b/i],
  [/\bunbiased\b/i, /\bbiased\b/i],
  [/\bnon-?convex\b/i, /\b(?<!non-?)convex\b/i],
  [/\boverfit\w*\b/i, /\bunderfit\w*\b/i],
  [/\b(?:train(?:ing)? only|only (?:during|in|at) train\w*)\b/i, /\b(?:(?:at|during) (?:inference|test)|inference only)\b/i],
];

/**
 * True when every phrasing of the point that names a direction names one side of a pair and the
 * clause carrying the point names only the other: "boosting increases variance" for "reduces".
 */
export function reversesPoint(phrasings: readonly string[], evidence: string): boolean {
  const stems = new Set(phrasings.flatMap((text) => contentStems(text)));
  const best = bestClause(stems, evidence);
  if (!best || best.shared < 2) return false;
  return OPPOSITES.some(([one, other]) => {
    const directed = phrasings.filter((text) => one.test(text) !== other.test(text));
    if (directed.length === 0) return false;
    const pointSaysOne = directed.every((text) => one.test(text));
    const pointSaysOther = directed.every((text) => other.test(text));
    if (!pointSaysOne && !pointSaysOther) return false;
    const [said, opposite] = pointSaysOne ? [one, other] : [other, one];
    if (said.test(best.clause)) return false;
    // The opposite word must bear on the point's own subject, within three words of one of its words.
    const tokens = best.clause.split(/\s+/);
    return tokens.some((token, index) => {
      if (!opposite.test(token) && !opposite.test(`${token} ${tokens[index + 1] ?? ''}`)) return false;
      const near = [...tokens.slice(Math.max(0, index - 3), index), ...tokens.slice(index + 1, index + 4)];
      return near.some((word) => !opposite.test(word) && contentStems(word).some((stem) => stems.has(stem)));
    });
  });
}

/** A formula: operands joined by / or = (with + - * ^ inside), e.g. "TP/(TP+FP)" or "1 - SSres/SStot". */
const FORMULA = /[\w²().]+(?:\s*[-+*/^=]\s*[\w²().]+)+/g;

function formulasIn(text: string): string[] {
  return (text.match(FORMULA) ?? []).filter((formula) => /[/=]/.test(formula) && /[a-z]/i.test(formula)).map((formula) => formula.toLowerCase().replace(/\s+/g, ''));
}

function operands(formula: string): string[] {
  return formula.split(/[^a-z0-9²]+/).filter(Boolean).sort();
}

/**
 * True when the point states a formula and the answer writes the same operands in another
 * structure ("TP/(TP+FN)" for "TP/(TP+FP)", numerator and denominator exchanged), and nowhere the
 * point's own.
 */
export function contradictsFormula(phrasings: readonly string[], evidence: string): boolean {
  const expected = phrasings.flatMap(formulasIn);
  if (expected.length === 0) return false;
  const given = formulasIn(evidence);
  if (given.length === 0 || given.some((formula) => expected.some((target) => formula.includes(target) || target.includes(formula)))) return false;
  // Only a near copy counts: the same operands rearranged, or one operand exchanged.
  return given.some((formula) => {
    const mine = operands(formula);
    return expected.some((target) => {
      const theirs = operands(target);
      if (mine.length !== theirs.length || theirs.length < 2) return false;
      const rest = [...theirs];
      for (const operand of mine) {
        const at = rest.indexOf(operand);
        if (at >= 0) rest.splice(at, 1);
      }
      return rest.length <= 1;
    });
  });
}

export interface SideTerms {
  /** Subjects the point is about ("bagging"). */
  own: ReadonlySet<string>;
  /** Subjects other points are about, that an answer could swap in ("boosting"). */
  others: ReadonlySet<string>;
}

/** "X vs Y", "X versus Y", "X and Y", "X or Y", "between X and Y", "X compared with Y". */
const CONTRAST = /([a-z0-9²-]+(?:\s[a-z0-9²-]+)?)\s+(?:vs\.?|versus|and|or|compared (?:to|with))\s+([a-z0-9²-]+(?:\s[a-z0-9²-]+)?)/gi;

/**
 * The subjects of each point when the question contrasts two things ("bagging vs boosting",
 * "precision and recall") and the rubric has points about each side alone.
 */
export function sideTermsOf(question: string, points: readonly string[]): SideTerms[] {
  const none = points.map(() => ({ own: new Set<string>(), others: new Set<string>() }));
  const pointStems = points.map((text) => new Set(contentStems(text)));
  for (const match of question.matchAll(CONTRAST)) {
    const left = new Set(contentStems(match[1] ?? ''));
    const right = new Set(contentStems(match[2] ?? ''));
    for (const stem of [...left]) if (right.has(stem)) (left.delete(stem), right.delete(stem));
    const a = [...left].at(-1);
    const b = [...right][0];
    if (!a || !b) continue;
    const aOnly = pointStems.map((stems) => stems.has(a) && !stems.has(b));
    const bOnly = pointStems.map((stems) => stems.has(b) && !stems.has(a));
    if (!aOnly.some(Boolean) || !bOnly.some(Boolean)) continue;
    return points.map((_, index) => (aOnly[index] ? { own: new Set([a]), others: new Set([b]) } : bOnly[index] ? { own: new Set([b]), others: new Set([a]) } : { own: new Set<string>(), others: new Set<string>() }));
  }
  return none;
}

/** Share of a phrasing's attribute a clause must carry to be taken as stating it. */
const SWAP_SHARE = 0.67;

/**
 * True when the clause carrying the point's attribute names another subject and not the point's
 * own: "boosting reduces variance" offered for "bagging reduces variance". Returns the swapped-in
 * subject as written, for the correction.
 */
export function swappedSubject(phrasings: readonly string[], counterparts: readonly string[], sides: SideTerms, evidence: string, answer: string): string | undefined {
  if (sides.own.size === 0 || sides.others.size === 0 || counterparts.length === 0) return undefined;
  const allSides = new Set([...sides.own, ...sides.others]);
  const names = (clause: string, side: ReadonlySet<string>) => contentStems(clause).some((stem) => side.has(stem));
  // The swapped-in subject leads the clause: "boosting mainly reduces variance".
  const ledBy = (clause: string, side: ReadonlySet<string>) => {
    const lead = new Set(words(clause).slice(0, 3).flatMap((word) => contentStems(word)));
    return [...side].find((stem) => lead.has(stem));
  };
  // What each phrasing says of its subject, without the subjects; one-word attributes say too little.
  const attributesOf = (texts: readonly string[]) => texts.map((text) => new Set(contentStems(text).filter((stem) => !allSides.has(stem)))).filter((attribute) => attribute.size >= 2);
  const own = attributesOf(phrasings);
  const theirs = attributesOf(counterparts);
  const bestShare = (attributes: readonly ReadonlySet<string>[], clause: string) => attributes.reduce((max, attribute) => Math.max(max, overlap(attribute, clause) / attribute.size), 0);
  const answerClauses = sideClauses(answer, allSides);
  const ownClauses = answerClauses.filter((clause) => ledBy(clause, sides.own) && !names(clause, sides.others));
  // A swap is an exchange: the answer also gives this subject the other side's property.
  if (!ownClauses.some((clause) => bestShare(theirs, clause) >= SWAP_SHARE && bestShare(theirs, clause) > bestShare(own, clause))) return undefined;
  for (const clause of sideClauses(evidence, allSides)) {
    const stem = ledBy(clause, sides.others);
    if (!stem || names(clause, sides.own)) continue;
    const swappedShare = bestShare(own, clause);
    if (swappedShare < SWAP_SHARE || swappedShare <= bestShare(theirs, clause)) continue;
    // Anywhere the answer ties the attribute to the right subject as well, the point stands.
    if (ownClauses.some((ownClause) => bestShare(own, ownClause) >= swappedShare)) continue;
    return words(clause).find((word) => contentStems(word)[0] === stem) ?? stem;
  }
  return undefined;
}

/**
 * Clauses cut where a new subject starts: before a side term that follows a conjunction, comma or
 * semicolon ("bagging reduces bias and boosting reduces variance"), and at sentence ends; an "and"
 * inside one claim ("equal true and false positive rates") does not cut.
 */
function sideClauses(text: string, sides: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const sentence of text.split(SENTENCE_BREAK)) {
    const tokens = sentence.split(/\s+/).filter(Boolean);
    let current: string[] = [];
    tokens.forEach((token, index) => {
      const previous = tokens[index - 1] ?? '';
      const startsSide = contentStems(token).some((stem) => sides.has(stem)) || (/^(?:the|a|an)$/i.test(token) && contentStems(tokens[index + 1] ?? '').some((stem) => sides.has(stem)));
      const afterBreak = /[,;:]$/.test(previous) || /^(?:and|but|while|whereas|whilst|so|then)$/i.test(previous);
      if (current.length > 0 && startsSide && afterBreak) {
        out.push(current.join(' '));
        current = [];
      }
      current.push(token);
    });
    if (current.length > 0) out.push(current.join(' '));
  }
  return out;
}

/** Words that make a line a statement rather than a bare term. */
const PREDICATE = /\b(?:is|are|was|were|be|been|being|am|has|have|had|does|do|did|can|could|will|would|should|may|might|must|means?|gives?|makes?|uses?|helps?|lets?|keeps?|needs?|works?|causes?|prevents?|avoids?|reduces?|increases?|decreases?|lowers?|raises?|measures?|computes?|learns?|predicts?|returns?|stores?|runs?|takes?|adds?|removes?|fits?|trains?|splits?|tells?|shows?|captures?|handles?|depends?|requires?|becomes?|stays?|tends?|leads?|improves?|hurts?|changes?|grows?|drops?|falls?|rises?|because|so that|which|that|when|if|by|then)\b/i;

/** Lines of code, formulas and derivations are expressions, not fragments. */
const EXPRESSION = /=|[<>]\s*\d|[a-z0-9)]\s*[+*^]\s*[a-z0-9(]|\w\/\(|`/i;

/** A bare term or noun phrase: short, no predicate, not an expression. */
export function isFragment(evidence: string): boolean {
  const lines = evidence.split(/\n|;|(?<=[.!?])\s+/).map((line) => line.replace(BULLET, '').trim()).filter(Boolean);
  if (lines.length === 0) return false;
  return lines.every((line) => !EXPRESSION.test(line) && words(line).length <= 6 && !PREDICATE.test(line));
}

/**
 * An answer built mostly of term fragments (one per line, bullet, semicolon or comma) shows
 * recognition, not understanding.
 */
export function isListLike(answer: string): boolean {
  const pieces = answer
    .split(/\n|;|,/)
    .map((line) => line.replace(BULLET, '').trim())
    .filter(Boolean);
  if (pieces.length < 3) return false;
  const fragments = pieces.filter((piece) => isFragment(piece)).length;
  return fragments / pieces.length >= 0.7;
}
