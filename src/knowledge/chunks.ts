import { sentences } from '../text/tokenize.js';
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

/** A piece of a chunk that gets its own vector (`<chunkId>~<n>`). */
export interface DenseUnit {
  id: string;
  /** Index of the chunk it belongs to. */
  chunk: number;
  text: string;
}

/**
 * The texts the vector index holds. Averaged word vectors blur over long texts, so each section is
 * also embedded in windows of `windowSentences` sentences (0 = whole sections only), each prefixed
 * with the note title and heading.
 */
export function denseUnits(chunks: readonly KnowledgeChunk[], windowSentences: number): DenseUnit[] {
  return chunks.flatMap((chunk, index) => {
    const units: DenseUnit[] = [{ id: chunk.id, chunk: index, text: embeddingText(chunk) }];
    if (windowSentences <= 0) return units;
    const list = readableSentences(chunk.text);
    if (list.length <= windowSentences) return units;
    for (let start = 0, n = 1; start < list.length; start += windowSentences, n++) {
      const window = list.slice(start, start + windowSentences).join(' ');
      units.push({ id: `${chunk.id}~${n}`, chunk: index, text: `${chunk.title} — ${chunk.section}: ${window}` });
    }
    return units;
  });
}

/**
 * Sentences of a note section, with hard-wrapped lines joined back into paragraphs, list items kept
 * apart, and tables, code and formulas-only lines left out (they do not read as chat sentences).
 */
export function readableSentences(text: string): string[] {
  const items: string[] = [];
  let current: string[] = [];
  let inCode = false;
  const flush = () => {
    if (current.length > 0) items.push(current.join(' '));
    current = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inCode = !inCode;
      flush();
      continue;
    }
    if (inCode) continue;
    if (line === '' || line.startsWith('|') || line.startsWith('#')) {
      flush();
      continue;
    }
    if (/^(?:[-*•]|\d+[.)])\s+/.test(line)) flush();
    current.push(line);
  }
  flush();
  return items
    .flatMap((item) => sentences(item))
    .map((sentence) => sentence.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\s+/g, ' ').trim())
    .filter((sentence) => /[a-z]{3}/i.test(sentence));
}
