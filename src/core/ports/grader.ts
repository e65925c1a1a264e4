import type { Verdict } from '../gradingPolicy.js';
import type { DesignPhase } from '../../knowledge/areas.js';

/** A rubric ready for grading (defaults filled, ids assigned). */
export interface KeyPoint {
  id: string;
  text: string;
  weight: number;
  mustHave: boolean;
  match: string[];
  notes: string[];
  phase?: DesignPhase;
}

export interface Misconception {
  text: string;
  match: string[];
  penalty: number;
  correction?: string;
}

export interface Rubric {
  keyPoints: KeyPoint[];
  misconceptions: Misconception[];
  modelAnswer: string;
  hints: string[];
  followUps: string[];
}

export type { Verdict };

export interface CriterionResult {
  id: string;
  point: string;
  weight: number;
  mustHave: boolean;
  /** 0..1: how well the answer covers this point. */
  score: number;
  met: boolean;
  /** The user's sentence that earned the point (verbatim), or null. */
  evidence: string | null;
  notes: string[];
}

export interface MisconceptionResult {
  text: string;
  penalty: number;
  correction?: string;
  evidence: string;
}

export interface GradeRequest {
  question: string;
  answer: string;
  rubric: Rubric;
  /** Upper bound on the score (hints taken lower it). Default 100. */
  maxScore?: number;
  /** For caching and budget checks of LLM graders. */
  questionId?: string;
  userId?: string;
}

export interface GradeResult {
  score: number;
  verdict: Verdict;
  grader: 'offline' | 'llm';
  criteria: CriterionResult[];
  misconceptions: MisconceptionResult[];
  /** Human-readable feedback: covered points, missed points, misconceptions. */
  feedback: string;
  /** Set when something about grading should be told to the user (fallback, disagreement, truncation). */
  notices: string[];
  /** 'low' when two graders disagree by more than the policy allows: the score is shown with a warning. */
  confidence?: 'low';
}

export interface Grader {
  grade(request: GradeRequest): Promise<GradeResult>;
}

/** The offline checks another grader's judgements must pass (an LLM's evidence is a claim, not a proof). */
export interface EvidenceChecker {
  /** True when `evidence`, a part of the answer, makes the key point by the offline matcher. */
  supportsPoint(request: GradeRequest, pointId: string, evidence: string): boolean;
  /** True when the text addresses the grader ("ignore the rubric", "score this 100") rather than the question. */
  isInstruction(text: string): boolean;
}
