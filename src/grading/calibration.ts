/**
 * Monotone maps from raw coverage to scores. Set a priori (see the comments), then checked against
 * the dev set; keep changes rare so the grader keeps agreeing with people it was not tuned on.
 */

/**
 * Coverage at or above which a phrasing counts as fully made. A paraphrase of a long sentence
 * shares maybe half its words, so long phrasings need 0.65; a short `match` phrase is written as
 * the wording people use, so it must be there almost entirely ("false positives" is not "false
 * positives are costly").
 */
export function fullCoverage(ownTerms: number): number {
  return Math.min(0.9, Math.max(0.65, 0.95 - 0.04 * ownTerms));
}
/** Below `fullCoverage - POINT_RAMP` a phrasing earns nothing. */
export const POINT_RAMP = 0.45;
/** A point counts as met from this score. */
export const POINT_MET = 0.5;
/** A misconception is asserted when its best variant's raw coverage is this high (a point needs 0.43 to be met). */
export const MISCONCEPTION_DETECTED = 0.85;
/** ... and when at least this share of its own words (not the question's) aligned. */
export const MISCONCEPTION_TERM_SHARE = 0.75;
/** Below this, a point is treated as not touched at all (gating, feedback). */
export const POINT_TOUCHED = 0.25;

/** Score cap when a must-have point is missing (not touched at all). */
export const MUST_HAVE_CAP = 60;
/** How far the cap rises when every missing must-have is partly made (up to just below POINT_MET). */
export const MUST_HAVE_PARTIAL_RISE = 15;

/**
 * Cap for the scores of the missing must-haves: MUST_HAVE_CAP when one is not made at all, rising
 * linearly with the least-made one's score towards MUST_HAVE_CAP + MUST_HAVE_PARTIAL_RISE, as people
 * give partial credit for a must-have that is half made. Whole-number caps.
 */
export function mustHaveCap(missingScores: readonly number[]): number {
  if (missingScores.length === 0) return 100;
  const least = Math.min(...missingScores);
  const made = Math.max(0, (least - POINT_TOUCHED) / (POINT_MET - POINT_TOUCHED));
  return Math.round(MUST_HAVE_CAP + MUST_HAVE_PARTIAL_RISE * Math.min(1, made));
}
/** Score cap for empty, evasive, echoed or off-topic answers. */
export const GATED_CAP = 5;

/** Point score 0..1 from the raw coverage of one phrasing with `ownTerms` words not taken from the question. */
export function pointScore(coverage: number, ownTerms: number): number {
  const full = fullCoverage(ownTerms);
  return Math.min(1, Math.max(0, (coverage - (full - POINT_RAMP)) / POINT_RAMP));
}

/**
 * Weighted coverage (0..1) to 0..100. Concave up to the middle (half the weight is about 60), then
 * steeper, so an answer that makes every point in its own words (point scores around 0.8) lands
 * at 85 or more.
 */
const KNOTS: readonly (readonly [number, number])[] = [
  [0, 0],
  // Human graders give partial answers credit early: a fifth of the weight is worth ~30, half ~60.
  [0.2, 30],
  [0.5, 60],
  [0.8, 89],
  [1, 100],
];

export function calibrate(weightedCoverage: number): number {
  const x = Math.min(1, Math.max(0, weightedCoverage));
  for (let i = 1; i < KNOTS.length; i += 1) {
    const [x1, y1] = KNOTS[i] as readonly [number, number];
    const [x0, y0] = KNOTS[i - 1] as readonly [number, number];
    if (x <= x1) return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 100;
}

/**
 * Rubrics derived from a reference answer alone (see `rubricFromReference`) are graded more gently:
 * their points are slices of one model answer, not the few ideas a person would insist on, and
 * human graders of such short answers give generous partial credit. The score blends per-point
 * coverage with the whole-answer alignment (share of the reference's own words aligned, Sultan et
 * al. 2016), each on a square-root scale so a short answer that makes the key idea is not punished
 * for brevity; alignment below REFERENCE_NOISE is what unrelated answers reach through loose
 * word-vector matches and earns nothing. Set on the dev sets (reference mode), then rounded.
 */
export const REFERENCE_POINT_SHARE = 0.4;
export const REFERENCE_NOISE = 0.05;
/** Blended signal at which a derived-rubric answer earns full marks. */
export const REFERENCE_FULL = 0.75;
/** With no point touched, a derived-rubric answer needs this whole-answer alignment to escape the gate. */
export const REFERENCE_GATE = 0.1;

export function calibrateReference(pointCoverage: number, alignedShare: number): number {
  const points = Math.sqrt(Math.min(1, Math.max(0, pointCoverage)));
  const aligned = Math.sqrt(Math.min(1, Math.max(0, (alignedShare - REFERENCE_NOISE) / (1 - REFERENCE_NOISE))));
  const blended = REFERENCE_POINT_SHARE * points + (1 - REFERENCE_POINT_SHARE) * aligned;
  return 100 * Math.min(1, blended / REFERENCE_FULL);
}
