import type { Area, DesignPhase, Level } from './areas.js';
import type { Rubric } from '../core/ports/grader.js';

export interface NoteSection {
  /** `<noteId>#<slug>` */
  id: string;
  heading: string;
  text: string;
}

export interface Note {
  id: string;
  title: string;
  area: Area;
  tags: string[];
  level: Level;
  /** Relative to the knowledge folder, with forward slashes. */
  path: string;
  sections: NoteSection[];
}

export interface Question {
  id: string;
  area: Area;
  level: Level;
  tags: string[];
  question: string;
  rubric: Rubric;
  phases: { phase: DesignPhase; prompt: string }[];
  /** Relative path of the file it came from. */
  path: string;
  /** Changes whenever the question or its rubric changes (grading caches key on it). */
  version: string;
}

export interface KnowledgeBase {
  root: string;
  notes: Note[];
  questions: Question[];
  /** Hash over every knowledge file: the index is rebuilt when it changes. */
  contentHash: string;
}

/** One thing wrong with one knowledge file, precise enough to fix without reading code. */
export interface KnowledgeProblem {
  file: string;
  field: string;
  reason: string;
}

export function formatProblem(problem: KnowledgeProblem): string {
  return `${problem.file}: ${problem.field}: ${problem.reason}`;
}
