import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Embedder } from '../../src/core/ports/embedder.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { KnowledgeBase, Note } from '../../src/knowledge/types.js';
import { openWordVectors, type LocalWordVectors } from '../../src/knowledge/wordVectors.js';

/** One word-vector cache for every test file (gitignored), so a run builds it at most once. */
export const SHARED_CACHE_DIR = resolve('data/test-cache');

export function tempDir(prefix = 'mle-coach-retrieval-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let shared: Promise<LocalWordVectors> | undefined;

/** The real word vectors from the shared cache (built on first use). */
export function sharedWordVectors(): Promise<LocalWordVectors> {
  shared ??= openWordVectors({ cacheDir: SHARED_CACHE_DIR, notify: () => {} });
  return shared;
}

/** The knowledge shipped in the repository. */
export function repositoryKnowledge(): KnowledgeBase {
  return loadKnowledge(resolve('knowledge')).knowledge;
}

export function note(id: string, area: Note['area'], title: string, sections: Record<string, string>, tags: string[] = []): Note {
  return {
    id,
    title,
    area,
    tags,
    level: 'medium',
    path: `notes/${area}/${id}.md`,
    sections: Object.entries(sections).map(([heading, text]) => ({ id: `${id}#${heading.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, heading, text })),
  };
}

export function knowledgeOf(notes: Note[], contentHash: string): KnowledgeBase {
  return { root: '/virtual', notes, questions: [], contentHash };
}

/** A deterministic embedder that counts what it embeds: bag of hashed words, 16 dimensions. */
export class CountingEmbedder implements Embedder {
  readonly dimensions = 16;
  embedded = 0;
  calls = 0;
  failing = false;

  constructor(readonly id = 'counting-v1') {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    if (this.failing) throw new Error('embeddings server unreachable');
    this.embedded += texts.length;
    return texts.map((text) => {
      const vector = new Float32Array(this.dimensions);
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        let hash = 0;
        for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
        vector[hash % this.dimensions] = (vector[hash % this.dimensions] ?? 0) + 1;
      }
      return vector;
    });
  }
}
