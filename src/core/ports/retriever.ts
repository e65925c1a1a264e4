/** A cited piece of the knowledge base: one section of one note. */
export interface Passage {
  /** `<noteId>#<section-slug>`; stable across rebuilds while the heading stays. */
  id: string;
  noteId: string;
  title: string;
  section: string;
  area: string;
  /** Path of the note relative to the knowledge folder. */
  path: string;
  text: string;
  /** Fused relevance, higher is better; comparable only within one result list. */
  score: number;
}

export interface SearchOptions {
  k?: number;
  /** Restrict to passages from these notes (feedback pointers for a key point). */
  noteIds?: readonly string[];
  /** Restrict to these areas. */
  areas?: readonly string[];
  /** For evaluation: which signals to use. Default hybrid. */
  mode?: 'hybrid' | 'lexical' | 'dense';
}

export interface Retriever {
  search(query: string, options?: SearchOptions): Promise<Passage[]>;
}

/** Answer to a user's question, built from passages, with citations. */
export interface GroundedAnswer {
  query: string;
  answer: string;
  sources: Passage[];
  /** False when nothing relevant enough was found. */
  covered: boolean;
  answeredBy: 'offline' | 'llm';
}

export interface Answerer {
  answer(query: string, options?: { k?: number; userId?: string }): Promise<GroundedAnswer>;
}
