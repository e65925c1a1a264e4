import type { Config } from '../config/schema.js';
import { AREAS, LEVELS, TRACKS } from '../knowledge/areas.js';
import { loadKnowledge } from '../knowledge/load.js';
import { formatProblem, type KnowledgeBase } from '../knowledge/types.js';
import { knowledgeDir } from '../shared/paths.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** `kb check`: validates every knowledge file; lists every problem; exit 1 when any. */
export function kbCheck(config: Config, io: Output): number {
  const { knowledge, problems } = loadKnowledge(knowledgeDir(config.MLE_COACH_KNOWLEDGE_DIR));
  if (problems.length) {
    io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${knowledge.root}:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join('\n')}\n`);
    return 1;
  }
  io.out(`OK: ${knowledge.notes.length} notes (${knowledge.notes.reduce((sum, note) => sum + note.sections.length, 0)} passages), ${knowledge.questions.length} questions.\n`);
  return 0;
}

export interface KbStats {
  notes: number;
  passages: number;
  questions: number;
  areas: { area: string; notes: number; questions: number; easy: number; medium: number; hard: number }[];
  tracks: { track: string; questions: number; easy: number; medium: number; hard: number }[];
}

export function computeStats(knowledge: KnowledgeBase): KbStats {
  const count = (areas: readonly string[]) => {
    const questions = knowledge.questions.filter((question) => areas.includes(question.area));
    const byLevel = Object.fromEntries(LEVELS.map((level) => [level, questions.filter((question) => question.level === level).length])) as Record<(typeof LEVELS)[number], number>;
    return { questions: questions.length, ...byLevel };
  };
  return {
    notes: knowledge.notes.length,
    passages: knowledge.notes.reduce((sum, note) => sum + note.sections.length, 0),
    questions: knowledge.questions.length,
    areas: AREAS.map((area) => ({ area, notes: knowledge.notes.filter((note) => note.area === area).length, ...count([area]) })),
    tracks: Object.entries(TRACKS).map(([track, areas]) => ({ track, ...count(areas) })),
  };
}

/** `kb stats [--json]`: counts per area and level. */
export function kbStats(config: Config, io: Output, json: boolean): number {
  const { knowledge, problems } = loadKnowledge(knowledgeDir(config.MLE_COACH_KNOWLEDGE_DIR));
  const stats = computeStats(knowledge);
  if (json) {
    io.out(`${JSON.stringify({ ...stats, problems: problems.length })}\n`);
    return 0;
  }
  const pad = (value: string | number, width: number) => String(value).padEnd(width);
  const rows = [`${pad('area', 28)}${pad('notes', 7)}${pad('questions', 11)}${pad('easy', 6)}${pad('medium', 8)}hard`];
  for (const row of stats.areas) rows.push(`${pad(row.area, 28)}${pad(row.notes, 7)}${pad(row.questions, 11)}${pad(row.easy, 6)}${pad(row.medium, 8)}${row.hard}`);
  rows.push('', `${pad('track', 28)}${pad('', 7)}${pad('questions', 11)}${pad('easy', 6)}${pad('medium', 8)}hard`);
  for (const row of stats.tracks) rows.push(`${pad(row.track, 28)}${pad('', 7)}${pad(row.questions, 11)}${pad(row.easy, 6)}${pad(row.medium, 8)}${row.hard}`);
  rows.push('', `total: ${stats.notes} notes, ${stats.passages} passages, ${stats.questions} questions${problems.length ? ` (${problems.length} problems: run \`mle-coach kb check\`)` : ''}`);
  io.out(`${rows.join('\n')}\n`);
  return 0;
}
