import type { CriterionResult, MisconceptionResult } from '../core/ports/grader.js';
import { mustHaveCap, POINT_MET, POINT_TOUCHED } from './calibration.js';

/** Why the score is lower than coverage alone would give; each becomes one feedback line. */
export type ScoreCap =
  | { kind: 'gated'; reason: 'empty' | 'nothing-new' | 'no-match' }
  | { kind: 'must-have'; cap: number; missing: string[] }
  | { kind: 'hints'; cap: number };

const QUOTE_LIMIT = 160;

export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1).trimEnd()}…` : flat}”`;
}

const GATE_TEXT: Record<Extract<ScoreCap, { kind: 'gated' }>['reason'], string> = {
  empty: 'The answer is empty.',
  'nothing-new': 'The answer adds nothing beyond the words of the question.',
  'no-match': 'The answer does not address any of the points this question is about.',
};

/** Plain-text feedback: covered points with the user's own words, missed points, misconceptions, caps. */
export function renderFeedback(criteria: readonly CriterionResult[], misconceptions: readonly MisconceptionResult[], caps: readonly ScoreCap[]): string {
  const lines: string[] = [];
  for (const cap of caps) if (cap.kind === 'gated') lines.push(GATE_TEXT[cap.reason]);
  for (const criterion of criteria) {
    if (criterion.score >= POINT_MET && criterion.evidence) lines.push(`Covered: ${criterion.point} You said: ${quote(criterion.evidence)}`);
  }
  for (const criterion of criteria) {
    if (criterion.score >= POINT_TOUCHED && criterion.score < POINT_MET && criterion.evidence) {
      lines.push(`Partly covered: ${criterion.point} Closest: ${quote(criterion.evidence)}`);
    }
  }
  for (const criterion of criteria) {
    if (criterion.score < POINT_TOUCHED || !criterion.evidence) lines.push(`Missed${criterion.mustHave ? ' (must-have)' : ''}: ${criterion.point}`);
  }
  for (const item of misconceptions) {
    lines.push(`Misconception: ${item.text} You said: ${quote(item.evidence)}${item.correction ? ` ${item.correction}` : ''}`);
  }
  for (const cap of caps) {
    if (cap.kind === 'must-have') lines.push(`Score capped at ${cap.cap} because a must-have point is missing.`);
    if (cap.kind === 'hints') lines.push(`Score capped at ${cap.cap} because hints were used.`);
  }
  return lines.join('\n');
}

/**
 * The caps every grader applies after scoring: missing must-haves (a cap that rises as they are
 * partly made) and hints taken (`maxScore`). Shared so LLM and offline grades mean the same.
 */
export function applyRubricCaps(score: number, criteria: readonly CriterionResult[], maxScore: number | undefined, caps: ScoreCap[]): number {
  let capped = score;
  const missingMustHaves = criteria.filter((criterion) => criterion.mustHave && !criterion.met);
  const mustHave = mustHaveCap(missingMustHaves.map((criterion) => criterion.score));
  if (missingMustHaves.length > 0 && capped > mustHave) {
    capped = mustHave;
    caps.push({ kind: 'must-have', cap: mustHave, missing: missingMustHaves.map((criterion) => criterion.id) });
  }
  const limit = maxScore ?? 100;
  if (limit < 100 && capped > limit) {
    capped = limit;
    caps.push({ kind: 'hints', cap: limit });
  }
  return capped;
}
