import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/ports/logger.js';
import { contentStems, words } from '../text/tokenize.js';
import { LexicalIndex, type Bm25Params, type LexicalFields, type LexicalSnapshot } from './lexicalIndex.js';

/**
 * The BM25 index saved as JSON beside the vector index, so a start with unchanged notes loads it
 * (~20 ms) instead of tokenising every note (~150-250 ms on a small machine). The key covers the
 * knowledge hash, the chunk list, the BM25 parameters and a fingerprint of the tokenizer, so a
 * change to any of them rebuilds it.
 */

const FILE = 'lexical-index.json';
const VERSION = 1;
/** Exercises hyphens, apostrophes, stop words, numbers and stemming. */
const TOKENIZER_PROBE = "The models' k-means++ F1-score didn't converge: 3.5x faster, e.g. running runs ran @k; Naïve Bayes' priors";

/**
 * The envelope is checked with zod; the bulky payload (written by this module, matched by a hash
 * key, replaced atomically) only gets shape checks: a zod pass over 10k entries costs more than
 * rebuilding saves.
 */
const envelopeSchema = z.object({
  version: z.literal(VERSION),
  key: z.string(),
  builtAt: z.string(),
  index: z.unknown(),
});

function asSnapshot(value: unknown, documents: number): LexicalSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const index = value as Partial<Record<keyof LexicalSnapshot, unknown>>;
  const params = index.params as Partial<Bm25Params> | undefined;
  if (!params || !['k1', 'b', 'titleBoost', 'headingBoost'].every((name) => typeof params[name as keyof Bm25Params] === 'number')) return undefined;
  if (!Array.isArray(index.lengths) || index.lengths.length !== documents || !Array.isArray(index.topics) || index.topics.length !== documents) return undefined;
  if (!Array.isArray(index.postings) || !Array.isArray(index.surface)) return undefined;
  const posting: unknown = index.postings[0];
  const surface: unknown = index.surface[0];
  if (posting !== undefined && !(Array.isArray(posting) && typeof posting[0] === 'string' && Array.isArray(posting[1]) && Array.isArray(posting[2]))) return undefined;
  if (surface !== undefined && !(Array.isArray(surface) && typeof surface[0] === 'string' && typeof surface[1] === 'string')) return undefined;
  return index as LexicalSnapshot;
}

export interface OpenLexicalIndexOptions {
  dir: string;
  contentHash: string;
  chunkIds: readonly string[];
  documents: readonly LexicalFields[];
  params: Bm25Params;
  log?: Logger;
}

function keyOf(options: OpenLexicalIndexOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([VERSION, options.contentHash, options.chunkIds, options.params, words(TOKENIZER_PROBE), contentStems(TOKENIZER_PROBE)]))
    .digest('hex')
    .slice(0, 32);
}

/** Loads the saved index when its key matches, else builds and saves it. */
export function openLexicalIndex(options: OpenLexicalIndexOptions): { index: LexicalIndex; origin: 'built' | 'loaded' } {
  const key = keyOf(options);
  const path = join(options.dir, FILE);
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    const snapshot = parsed.success && parsed.data.key === key ? asSnapshot(parsed.data.index, options.documents.length) : undefined;
    if (snapshot) return { index: LexicalIndex.fromSnapshot(snapshot), origin: 'loaded' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.log?.warn({ path, err: (error as Error).message }, 'lexical index unreadable; rebuilding it');
  }
  const index = LexicalIndex.build(options.documents, options.params);
  try {
    mkdirSync(options.dir, { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: VERSION, key, builtAt: new Date().toISOString(), index: index.snapshot() }));
    renameSync(temp, path);
  } catch (error) {
    // A read-only data folder costs start-up time, not correctness.
    options.log?.warn({ path, err: (error as Error).message }, 'could not save the lexical index');
  }
  return { index, origin: 'built' };
}
