import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { OfflineAnswerer } from '../../src/knowledge/answerer.js';
import { openRetriever, type HybridRetriever } from '../../src/knowledge/retriever.js';
import { SifEmbedder } from '../../src/knowledge/sifEmbedder.js';
import { removeDir, repositoryKnowledge, sharedWordVectors, tempDir } from './retrievalSupport.js';

describe('hybrid search over the shipped notes', () => {
  let dataDir = '';
  let retriever: HybridRetriever;
  let answerer: OfflineAnswerer;

  beforeAll(async () => {
    dataDir = tempDir();
    const vectors = await sharedWordVectors();
    retriever = await openRetriever({ knowledge: repositoryKnowledge(), dataDir, embedder: new SifEmbedder(vectors), words: vectors });
    answerer = new OfflineAnswerer(retriever);
  });
  afterAll(() => removeDir(dataDir));

  it('GIVEN the question "when is ROC AUC misleading" WHEN searching THEN the roc-auc section about it comes first', async () => {
    const passages = await retriever.search('when is ROC AUC misleading');

    expect(passages[0]?.noteId).toBe('roc-auc');
    expect(passages[0]?.id).toBe('roc-auc#when-roc-auc-is-misleading');
    expect(passages[0]).toMatchObject({ title: 'ROC curves and ROC AUC', area: 'evaluation-metrics', path: 'notes/evaluation-metrics/roc-auc.md' });
    expect(passages[0]?.text).toMatch(/imbalanced/);
  });

  it('GIVEN each search mode WHEN searching THEN every mode finds roc-auc and scores are ordered', async () => {
    for (const mode of ['hybrid', 'lexical', 'dense'] as const) {
      const passages = await retriever.search('when is ROC AUC misleading', { mode, k: 5 });
      expect(passages.length, mode).toBe(5);
      expect(passages.slice(0, 3).map((passage) => passage.noteId), mode).toContain('roc-auc');
      const scores = passages.map((passage) => passage.score);
      expect(scores, mode).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('GIVEN a note filter WHEN searching THEN only passages of those notes come back', async () => {
    const passages = await retriever.search('when is ROC AUC misleading', { noteIds: ['pr-curve-average-precision', 'precision-recall-f1'], k: 20 });

    expect(passages.length).toBeGreaterThan(0);
    expect(new Set(passages.map((passage) => passage.noteId))).toEqual(new Set(['pr-curve-average-precision', 'precision-recall-f1']));
  });

  it('GIVEN an area filter WHEN searching THEN only passages of that area come back, in every mode', async () => {
    for (const mode of ['hybrid', 'lexical', 'dense'] as const) {
      const passages = await retriever.search('how do I detect drift and monitor the model', { areas: ['mlops'], mode, k: 10 });
      expect(passages.length, mode).toBeGreaterThan(0);
      expect(passages.every((passage) => passage.area === 'mlops'), mode).toBe(true);
    }
  });

  it('GIVEN filters that match nothing WHEN searching THEN the result is empty rather than an error', async () => {
    expect(await retriever.search('roc auc', { noteIds: ['no-such-note'] })).toEqual([]);
    expect(await retriever.search('roc auc', { areas: ['reinforcement-learning'], noteIds: ['roc-auc'] })).toEqual([]);
  });

  it('GIVEN typos, joined words and chat shorthand WHEN searching THEN the intended notes are still found', async () => {
    expect(retriever.repairSpelling('precison vs recall')).toBe('precision vs recall');
    expect(retriever.repairSpelling('calibraton of probabilites')).toBe('calibration of probabilities');
    expect(retriever.repairSpelling('kmeans')).toBe('k-means');
    expect((await retriever.search('difference between precison and recal', { k: 3 })).map((passage) => passage.noteId)).toContain('precision-recall-f1');
    expect((await retriever.search('how does kmeans pick clusters', { k: 3 })).map((passage) => passage.noteId)).toContain('clustering-kmeans-dbscan');
    // A real English word the notes do not use is left alone.
    expect(retriever.repairSpelling('sourdough bread')).toBe('sourdough bread');
  });

  it('GIVEN an empty or stop-word-only query WHEN searching THEN nothing breaks', async () => {
    expect(await retriever.search('')).toEqual([]);
    expect(Array.isArray(await retriever.search('what is the'))).toBe(true);
  });

  it('GIVEN a covered question WHEN the offline answerer replies THEN it quotes the notes with [noteId] citations and lists the sources', async () => {
    const reply = await answerer.answer('when is ROC AUC misleading');

    expect(reply.covered).toBe(true);
    expect(reply.answeredBy).toBe('offline');
    expect(reply.answer).toMatch(/imbalanced/);
    expect(reply.answer).toMatch(/\[roc-auc\]/);
    expect(reply.answer).toMatch(/Sources:\n- \[roc-auc\] ROC curves and ROC AUC — When ROC AUC is misleading/);
    expect(reply.sources[0]?.noteId).toBe('roc-auc');
    const quoted = reply.answer.split('\n\nSources:')[0] ?? '';
    const sentenceCount = quoted.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
    expect(sentenceCount).toBeGreaterThanOrEqual(2);
    expect(sentenceCount).toBeLessThanOrEqual(5);
    expect(quoted.length).toBeLessThan(1200);
  });

  it('GIVEN a question the notes do not cover WHEN the offline answerer replies THEN it says so and names the nearest notes', async () => {
    for (const question of ['how do i bake sourdough bread', 'how many calories in a banana', 'who won the world cup in 2018']) {
      const reply = await answerer.answer(question);
      expect(reply.covered, question).toBe(false);
      expect(reply.answer, question).toMatch(/isn't covered in the knowledge base/);
      expect(reply.answer, question).not.toMatch(/Sources:/);
    }
    const reply = await answerer.answer('how do i bake sourdough bread');
    expect(reply.sources.length).toBeGreaterThan(0);
    for (const source of reply.sources) expect(reply.answer).toContain(`[${source.noteId}]`);
  });

  it('GIVEN an empty question WHEN answering THEN the reply invites a question', async () => {
    const reply = await answerer.answer('   ');
    expect(reply.covered).toBe(false);
    expect(reply.answer).toMatch(/Ask me a question/);
  });

  it('GIVEN a comparison question WHEN answering THEN both sides are quoted', async () => {
    const reply = await answerer.answer('shadow deployment vs canary');
    expect(reply.covered).toBe(true);
    expect(reply.answer).toMatch(/shadow/i);
    expect(reply.answer).toMatch(/canar/i);
    expect(reply.answer).toMatch(/\[model-serving-patterns\]/);
  });
});
