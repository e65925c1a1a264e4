import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SifEmbedder, spellingVariants } from '../../src/knowledge/sifEmbedder.js';
import { openWordVectors, wordVectorCachePath } from '../../src/knowledge/wordVectors.js';
import { removeDir, SHARED_CACHE_DIR, sharedWordVectors, tempDir } from './retrievalSupport.js';

/** A tiny file in the wink-embeddings layout: words in frequency order, [v..., l2norm, wordIndex]. */
function writeSource(dir: string): string {
  const words = ['the', 'model', 'data', '"', 'café', 'a\\b', 'rare'];
  const raw: Record<string, number[]> = {
    the: [1, 0, 0],
    model: [0, 3, 4],
    data: [0, 4, 3],
    '"': [1, 1, 0],
    café: [0, 0, 2],
    'a\\b': [-1, 0, 0],
    rare: [1e-2, -2.5e-1, 5e1],
  };
  const vectors = Object.fromEntries(
    Object.entries(raw).map(([word, values]) => [word, [...values, Math.hypot(...values), words.indexOf(word)]]),
  );
  const json = JSON.stringify({ precision: 8, l2NormIndex: 3, wordIndex: 4, size: words.length, dimensions: 3, words, vectors, unkVector: [0, 0, 0, -1] }, null, 1);
  const path = join(dir, 'tiny-embeddings.json');
  writeFileSync(path, json);
  return path;
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

describe('word vectors', () => {
  let dir = '';
  afterEach(() => removeDir(dir));

  it('GIVEN no cache WHEN the vectors are opened twice THEN the source is parsed once and the second open loads the cache', async () => {
    dir = tempDir();
    const sourcePath = writeSource(dir);
    const notes: string[] = [];
    const cacheDir = join(dir, 'cache');

    const first = await openWordVectors({ cacheDir, sourcePath, notify: (line) => notes.push(line) });
    const second = await openWordVectors({ cacheDir, sourcePath, notify: (line) => notes.push(line) });

    expect(first.origin).toBe('built');
    expect(second.origin).toBe('loaded');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/building the word-vector cache/);
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
    expect(second.id).toBe(first.id);
  });

  it('GIVEN a built cache WHEN looking words up THEN vectors are unit length, ranks follow frequency and escaped or accented words survive', async () => {
    dir = tempDir();
    const vectors = await openWordVectors({ cacheDir: join(dir, 'cache'), sourcePath: writeSource(dir), notify: () => {} });

    expect(vectors.dimensions).toBe(3);
    expect(vectors.rank('the')).toBe(0);
    expect(vectors.rank('data')).toBe(2);
    expect(vectors.rank('"')).toBe(3);
    expect(vectors.rank('café')).toBe(4);
    expect(vectors.rank('a\\b')).toBe(5);
    expect(vectors.rank('Model')).toBe(1);
    expect(vectors.rank('missing')).toBeUndefined();
    expect(vectors.vector('missing')).toBeUndefined();
    const model = vectors.vector('model') as Float32Array;
    expect(Math.hypot(...model)).toBeCloseTo(1, 5);
    expect(model[1]).toBeCloseTo(0.6, 1);
    expect(model[2]).toBeCloseTo(0.8, 1);
    expect(cosine(model, vectors.vector('data') as Float32Array)).toBeCloseTo(0.96, 1);
    expect(Math.hypot(...(vectors.vector('rare') as Float32Array))).toBeCloseTo(1, 5);
  });

  it('GIVEN a word limit WHEN building THEN only the most frequent words are kept', async () => {
    dir = tempDir();
    const vectors = await openWordVectors({ cacheDir: join(dir, 'cache'), sourcePath: writeSource(dir), maxWords: 3, notify: () => {} });
    expect(vectors.size).toBe(3);
    expect(vectors.rank('data')).toBe(2);
    expect(vectors.rank('"')).toBeUndefined();
  });

  it('GIVEN a truncated cache file WHEN opening THEN it is rebuilt instead of crashing', async () => {
    dir = tempDir();
    const options = { cacheDir: join(dir, 'cache'), sourcePath: writeSource(dir), notify: () => {} };
    await openWordVectors(options);
    const path = wordVectorCachePath(options);
    writeFileSync(path, Buffer.from('MLEWVEC2 but not really'));

    const reopened = await openWordVectors(options);

    expect(reopened.origin).toBe('built');
    expect(reopened.rank('model')).toBe(1);
  });

  it('GIVEN the real pretrained vectors WHEN the shared cache is opened THEN it is compact and related ML words are closer than unrelated ones', async () => {
    const vectors = await sharedWordVectors();
    const similarity = (a: string, b: string) => cosine(vectors.vector(a) as Float32Array, vectors.vector(b) as Float32Array);

    expect(vectors.size).toBeGreaterThan(300_000);
    expect(vectors.dimensions).toBe(100);
    expect(vectors.rank('the')).toBe(0);
    expect(vectors.rank('overfitting')).toBeDefined();
    expect(similarity('precision', 'accuracy')).toBeGreaterThan(similarity('precision', 'banana'));
    expect(similarity('regression', 'classification')).toBeGreaterThan(similarity('regression', 'guitar'));
    const cacheFile = readdirSync(SHARED_CACHE_DIR).find((name) => name.endsWith('.bin'));
    expect(cacheFile).toBeDefined();
    expect(statSync(join(SHARED_CACHE_DIR, cacheFile as string)).size).toBeLessThan(60 * 1024 * 1024);
  });

  it('GIVEN SIF sentence vectors WHEN texts share meaning THEN they are closer than unrelated texts, and unknown words still count', async () => {
    const vectors = await sharedWordVectors();
    const embedder = new SifEmbedder(vectors);
    const [a, b, c, d, e] = await embedder.embed([
      'the precision and recall of a classifier',
      'accuracy metrics for classification models',
      'how to bake sourdough bread at home',
      'xgboostish boosting library',
      'xgboostish trees',
    ]);

    expect(embedder.id).toMatch(/^sif-v\d+-a[\d.e-]+-u[\d.]+:wink-sg-100d@1\.1\.0:top\d+:int8-v\d+$/);
    expect(embedder.dimensions).toBe(100);
    expect(cosine(a as Float32Array, b as Float32Array)).toBeGreaterThan(cosine(a as Float32Array, c as Float32Array));
    expect(cosine(d as Float32Array, e as Float32Array)).toBeGreaterThan(0.2);
    expect(Math.hypot(...(a as Float32Array))).toBeCloseTo(1, 4);
    expect(Array.from((await embedder.embed(['the of and']))[0] as Float32Array).every((value) => value === 0)).toBe(true);
  });

  it('GIVEN an out-of-vocabulary word WHEN looking for spelling variants THEN plural, tense and British forms come first', () => {
    expect(spellingVariants('regularisation')).toContain('regularization');
    expect(spellingVariants('embeddings')).toContain('embedding');
    expect(spellingVariants('overfit')).toContain('overfitting');
  });

  it('GIVEN the default source WHEN computing the cache path THEN it names the package version and lives in the cache folder', () => {
    const path = wordVectorCachePath({ cacheDir: '/somewhere/cache' });
    expect(path).toMatch(/^\/somewhere\/cache\/word-vectors-wink-sg-100d-1\.1\.0-\d+\.v\d+\.bin$/);
    expect(existsSync(path)).toBe(false);
  });
});
