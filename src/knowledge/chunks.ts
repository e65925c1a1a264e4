import type { KnowledgeBase } from './types.js';

/** One retrievable unit: a section of a note. */
export interface KnowledgeChunk {
  /** `<noteId>#<section-slug>` */
  id: string;
  noteId: string;
  title: string;
  section: string;
  area: string;
  tags: readonly string[];
  path: string;
  text: string;
}

export function chunksOf(knowledge: KnowledgeBase): KnowledgeChunk[] {
  return knowledge.notes.flatMap((note) =>
    note.sections.map((section) => ({
      id: section.id,
      noteId: note.id,
      title: note.title,
      section: section.heading,
      area: note.area,
      tags: note.tags,
      path: note.path,
      text: section.text,
    })),
  );
}

/** What the embedder sees for a chunk: the note title and heading give a short section its topic. */
export function embeddingText(chunk: KnowledgeChunk): string {
  return `${chunk.title} — ${chunk.section}: ${chunk.text}`;
}
