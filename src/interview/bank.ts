import type { Level } from '../knowledge/areas.js';
import type { KnowledgeBase, Note, Question } from '../knowledge/types.js';

/** Read-only view of the question bank and notes, indexed for the engine. */
export class QuestionBank {
  private readonly questionsById = new Map<string, Question>();
  private readonly notesById = new Map<string, Note>();

  constructor(readonly knowledge: KnowledgeBase) {
    for (const question of knowledge.questions) this.questionsById.set(question.id, question);
    for (const note of knowledge.notes) this.notesById.set(note.id, note);
  }

  get questions(): readonly Question[] {
    return this.knowledge.questions;
  }

  question(id: string): Question | undefined {
    return this.questionsById.get(id);
  }

  note(id: string): Note | undefined {
    return this.notesById.get(id);
  }

  inAreas(areas: readonly string[], level?: Level): Question[] {
    return this.knowledge.questions.filter((question) => areas.includes(question.area) && (level === undefined || question.level === level));
  }
}
