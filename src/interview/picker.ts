import type { Level } from '../knowledge/areas.js';
import { LEVELS } from '../knowledge/areas.js';
import type { Question } from '../knowledge/types.js';
import type { QuestionBank } from './bank.js';

/** Small deterministic PRNG so a session's order can be reproduced from its id. */
export function seededRandom(seed: string): () => number {
  let h = 2166136261;
  for (let index = 0; index < seed.length; index += 1) h = Math.imul(h ^ seed.charCodeAt(index), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

export interface PickRequest {
  areas: readonly string[];
  level: Level;
  count: number;
  /** Question id -> when this user last saw it. */
  lastAsked: ReadonlyMap<string, number>;
  /** Questions whose spaced-repetition review is due, most overdue first. */
  dueReviews: readonly string[];
  seed: string;
}

/**
 * Chooses an interview's questions: due reviews first (at most half), then questions the user has
 * not seen at their level, then (bank used up) the least recently seen, then neighbouring levels.
 * Never the same question twice in one interview.
 */
export function pickQuestions(bank: QuestionBank, request: PickRequest): Question[] {
  const random = seededRandom(request.seed);
  const chosen: Question[] = [];
  const taken = new Set<string>();
  const take = (question: Question) => {
    if (chosen.length < request.count && !taken.has(question.id)) {
      chosen.push(question);
      taken.add(question.id);
    }
  };
  const reviewBudget = Math.max(1, Math.floor(request.count / 2));
  for (const id of request.dueReviews) {
    const question = bank.question(id);
    if (question && request.areas.includes(question.area) && chosen.length < reviewBudget) take(question);
  }
  const byLevel = (level: Level) => bank.inAreas(request.areas, level);
  const unseenFirst = (questions: Question[]) => {
    const unseen = shuffled(questions.filter((question) => !request.lastAsked.has(question.id)), random);
    const seen = questions
      .filter((question) => request.lastAsked.has(question.id))
      .sort((a, b) => (request.lastAsked.get(a.id) ?? 0) - (request.lastAsked.get(b.id) ?? 0));
    return [...unseen, ...seen];
  };
  // Mixed tracks: interleave areas so "algorithms" is not five classic-ml questions in a row.
  const interleave = (questions: Question[]) => {
    const byArea = new Map<string, Question[]>();
    for (const question of questions) byArea.set(question.area, [...(byArea.get(question.area) ?? []), question]);
    const queues = shuffled([...byArea.values()], random);
    const out: Question[] = [];
    while (queues.some((queue) => queue.length > 0)) for (const queue of queues) if (queue.length) out.push(queue.shift() as Question);
    return out;
  };
  const ordered = unseenFirst(byLevel(request.level));
  const unseenCount = ordered.filter((question) => !request.lastAsked.has(question.id)).length;
  for (const question of [...interleave(ordered.slice(0, unseenCount)), ...ordered.slice(unseenCount)]) take(question);
  const levelIndex = LEVELS.indexOf(request.level);
  const neighbours = [...LEVELS].sort((a, b) => Math.abs(LEVELS.indexOf(a) - levelIndex) - Math.abs(LEVELS.indexOf(b) - levelIndex)).slice(1);
  for (const level of neighbours) for (const question of unseenFirst(byLevel(level))) take(question);
  return chosen;
}
