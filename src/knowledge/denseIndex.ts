import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import type { Embedder } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';

/**
 * The vector index over knowledge chunks: hnswlib (cosine) on disk under `<dataDir>/index/`, with a
 * JSON metadata file naming what it was built from. It is reused while the embedder id, dimensions,
 * knowledge content hash and chunk list match, and rebuilt (atomically) otherwise.
 */

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

const META_FILE = 'dense-index.json';
const META_VERSION = 1;
const EMBED_BATCH = 64;

const metaSchema = z.object({
  version: z.literal(META_VERSION),
  embedderId: z.string(),
  dimensions: z.number().int().positive(),
  contentHash: z.string(),
  /** Chunk ids in label order: label i is chunkIds[i]. */
  chunkIds: z.array(z.string()),
  /** Index file name inside the index folder. */
  file: z.string().regex(/^dense-[a-z0-9-]+\.hnsw$/),
  builtAt: z.string(),
  buildMs: z.number().nonnegative(),
});
export type DenseIndexMeta = z.infer<typeof metaSchema>;

export interface DenseChunk {
  id: string;
  text: string;
}

export interface DenseHit {
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

export interface OpenDenseIndexOptions {
  dir: string;
  embedder: Embedder;
  contentHash: string;
  chunks: readonly DenseChunk[];
  log?: Logger;
}

export class DenseIndex {
  constructor(
    private readonly index: Hnsw,
    readonly meta: DenseIndexMeta,
    /** Whether this process built the index or loaded it from disk. */
    readonly origin: 'built' | 'loaded',
  ) {
    index.setEf(Math.max(64, meta.chunkIds.length));
  }

  get size(): number {
    return this.meta.chunkIds.length;
  }

  /** Nearest chunks to a query vector, best first; `allow` filters labels during the search. */
  search(vector: Float32Array, k: number, allow?: (label: number) => boolean): DenseHit[] {
    const count = Math.min(k, this.size);
    if (count <= 0 || !vector.some((value) => value !== 0)) return [];
    const query = Array.from(vector);
    const result = allow ? this.index.searchKnn(query, count, allow) : this.index.searchKnn(query, count);
    return result.neighbors.map((label, i) => ({ label, similarity: 1 - (result.distances[i] ?? 1) }));
  }
}

function readMeta(dir: string): DenseIndexMeta | undefined {
  const path = join(dir, META_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = metaSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function sameChunks(meta: DenseIndexMeta, chunks: readonly DenseChunk[]): boolean {
  return meta.chunkIds.length === chunks.length && chunks.every((chunk, i) => meta.chunkIds[i] === chunk.id);
}

function writeAtomically(path: string, data: string | Buffer): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Loads the index from disk when it matches, else embeds every chunk and writes a new one. */
export async function openDenseIndex(options: OpenDenseIndexOptions): Promise<DenseIndex> {
  const { dir, embedder, contentHash, chunks, log } = options;
  const meta = readMeta(dir);
  if (
    meta &&
    meta.embedderId === embedder.id &&
    meta.dimensions === embedder.dimensions &&
    meta.contentHash === contentHash &&
    sameChunks(meta, chunks)
  ) {
    const path = join(dir, meta.file);
    if (existsSync(path)) {
      try {
        const index = new HierarchicalNSW('cosine', meta.dimensions);
        index.readIndexSync(path);
        if (index.getCurrentCount() === chunks.length) return new DenseIndex(index, meta, 'loaded');
        log?.warn({ path }, 'vector index has the wrong size; rebuilding it');
      } catch (error) {
        log?.warn({ path, err: (error as Error).message }, 'vector index unreadable; rebuilding it');
      }
    }
  } else if (meta) {
    log?.info(
      { embedderChanged: meta.embedderId !== embedder.id, knowledgeChanged: meta.contentHash !== contentHash },
      'knowledge or embedder changed; rebuilding the vector index',
    );
  }
  return buildDenseIndex(options);
}

async function buildDenseIndex({ dir, embedder, contentHash, chunks, log }: OpenDenseIndexOptions): Promise<DenseIndex> {
  const started = Date.now();
  const vectors: Float32Array[] = [];
  for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
    const batch = chunks.slice(start, start + EMBED_BATCH);
    for (const vector of await embedder.embed(batch.map((chunk) => chunk.text))) {
      if (vector.length !== embedder.dimensions) throw new Error(`embedder ${embedder.id} returned ${vector.length} dimensions, expected ${embedder.dimensions}`);
      vectors.push(vector);
    }
  }
  const index = new HierarchicalNSW('cosine', embedder.dimensions);
  index.initIndex({ maxElements: Math.max(1, chunks.length), m: 16, efConstruction: 200, randomSeed: 42 });
  vectors.forEach((vector, label) => {
    const point = Array.from(vector);
    // A text without one known word embeds to zeros; a tiny constant keeps cosine defined.
    index.addPoint(point.some((value) => value !== 0) ? point : point.map(() => 1e-6), label);
  });
  const builtAt = new Date();
  const file = `dense-${builtAt.getTime().toString(36)}-${randomBytes(3).toString('hex')}.hnsw`;
  const meta: DenseIndexMeta = {
    version: META_VERSION,
    embedderId: embedder.id,
    dimensions: embedder.dimensions,
    contentHash,
    chunkIds: chunks.map((chunk) => chunk.id),
    file,
    builtAt: builtAt.toISOString(),
    buildMs: Date.now() - started,
  };
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `${file}.${process.pid}.tmp`);
  index.writeIndexSync(temp);
  renameSync(temp, join(dir, file));
  // The metadata goes last: until it is renamed into place, the old index stays the valid one.
  writeAtomically(join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  for (const entry of readdirSync(dir)) {
    if (entry !== file && /^dense-[a-z0-9-]+\.hnsw$/.test(entry)) {
      try {
        unlinkSync(join(dir, entry));
      } catch {
        // Another process may be removing the same stale file.
      }
    }
  }
  log?.info({ chunks: chunks.length, embedder: embedder.id, ms: meta.buildMs }, 'vector index built');
  return new DenseIndex(index, meta, 'built');
}
