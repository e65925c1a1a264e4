import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/ports/logger.js';
import { openRetriever } from '../../src/knowledge/retriever.js';
import { CountingEmbedder, knowledgeOf, note, removeDir, tempDir } from './retrievalSupport.js';

const notes = [
  note('roc-auc', 'evaluation-metrics', 'ROC curves and ROC AUC', {
    'What AUC means': 'The area under the ROC curve is the probability that a random positive is ranked above a random negative.',
    'When ROC AUC is misleading': 'On heavily imbalanced data ROC AUC looks excellent while precision collapses. Use the precision-recall curve.',
  }),
  note('feature-stores', 'mlops', 'Feature stores', {
    'Point-in-time joins': 'Training rows must only see feature values that existed at prediction time, or labels leak.',
  }),
];

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: (_obj, msg) => lines.push(`info ${msg ?? ''}`),
    warn: (_obj, msg) => lines.push(`warn ${msg ?? ''}`),
    error: (_obj, msg) => lines.push(`error ${msg ?? ''}`),
    child: () => logger,
  };
  return logger;
}

describe('the vector index on disk', () => {
  let dataDir = '';
  afterEach(() => removeDir(dataDir));

  it('GIVEN a fresh data folder WHEN the retriever opens twice THEN the index is built once, saved with metadata, and loaded the second time', async () => {
    dataDir = tempDir();
    const knowledge = knowledgeOf(notes, 'hash-1');
    const embedder = new CountingEmbedder();

    const first = await openRetriever({ knowledge, dataDir, embedder });
    const embeddedAfterFirst = embedder.embedded;
    const second = await openRetriever({ knowledge, dataDir, embedder });

    expect(first.index?.origin).toBe('built');
    expect(second.index?.origin).toBe('loaded');
    expect(first.lexicalOrigin).toBe('built');
    expect(second.lexicalOrigin).toBe('loaded');
    expect(embeddedAfterFirst).toBeGreaterThan(0);
    expect(embedder.embedded).toBe(embeddedAfterFirst);
    const meta = JSON.parse(readFileSync(join(dataDir, 'index', 'dense-index.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ embedderId: 'counting-v1', dimensions: 16, contentHash: 'hash-1' });
    expect(meta.chunkIds).toEqual(expect.arrayContaining(['roc-auc#what-auc-means', 'roc-auc#when-roc-auc-is-misleading', 'feature-stores#point-in-time-joins']));
    expect(typeof meta.builtAt).toBe('string');
    expect(second.index?.meta.builtAt).toBe(first.index?.meta.builtAt);
    expect(readdirSync(join(dataDir, 'index')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('GIVEN a saved index WHEN the knowledge changes THEN it is rebuilt and the old index file is removed', async () => {
    dataDir = tempDir();
    const embedder = new CountingEmbedder();
    const first = await openRetriever({ knowledge: knowledgeOf(notes, 'hash-1'), dataDir, embedder });
    const changed = knowledgeOf(
      [...notes, note('drift', 'monitoring-drift', 'Data drift', { 'Covariate shift': 'The input distribution P(x) changes while P(y | x) stays.' })],
      'hash-2',
    );

    const second = await openRetriever({ knowledge: changed, dataDir, embedder });
    const third = await openRetriever({ knowledge: changed, dataDir, embedder });

    expect(second.index?.origin).toBe('built');
    expect(third.index?.origin).toBe('loaded');
    expect(second.lexicalOrigin).toBe('built');
    expect(third.lexicalOrigin).toBe('loaded');
    expect(second.index?.meta.contentHash).toBe('hash-2');
    const files = readdirSync(join(dataDir, 'index')).filter((name) => name.endsWith('.hnsw'));
    expect(files).toEqual([second.index?.meta.file]);
    expect(files).not.toContain(first.index?.meta.file);
    expect((await third.search('covariate shift')).map((passage) => passage.noteId)[0]).toBe('drift');
  });

  it('GIVEN a saved index WHEN the embedder id changes THEN it is rebuilt with the new embedder', async () => {
    dataDir = tempDir();
    const knowledge = knowledgeOf(notes, 'hash-1');
    await openRetriever({ knowledge, dataDir, embedder: new CountingEmbedder('counting-v1') });
    const other = new CountingEmbedder('counting-v2');

    const reopened = await openRetriever({ knowledge, dataDir, embedder: other });

    expect(reopened.index?.origin).toBe('built');
    expect(reopened.lexicalOrigin).toBe('loaded');
    expect(reopened.index?.meta.embedderId).toBe('counting-v2');
    expect(other.embedded).toBeGreaterThan(0);
  });

  it('GIVEN a damaged index file WHEN opening THEN the index is rebuilt with a warning instead of failing', async () => {
    dataDir = tempDir();
    const knowledge = knowledgeOf(notes, 'hash-1');
    const first = await openRetriever({ knowledge, dataDir, embedder: new CountingEmbedder() });
    writeFileSync(join(dataDir, 'index', first.index?.meta.file as string), 'not an index');
    const lines: string[] = [];

    const reopened = await openRetriever({ knowledge, dataDir, embedder: new CountingEmbedder(), log: recordingLogger(lines) });

    expect(reopened.index?.origin).toBe('built');
    expect(lines.some((line) => line.startsWith('warn'))).toBe(true);
  });

  it('GIVEN a damaged lexical index file WHEN opening THEN it is rebuilt and search still works', async () => {
    dataDir = tempDir();
    const knowledge = knowledgeOf(notes, 'hash-1');
    await openRetriever({ knowledge, dataDir, embedder: new CountingEmbedder() });
    writeFileSync(join(dataDir, 'index', 'lexical-index.json'), '{"version":1,"key":"x"');

    const reopened = await openRetriever({ knowledge, dataDir, embedder: new CountingEmbedder() });

    expect(reopened.lexicalOrigin).toBe('built');
    expect((await reopened.search('point in time joins', { mode: 'lexical' }))[0]?.noteId).toBe('feature-stores');
  });

  it('GIVEN an embedder that is down WHEN opening and searching THEN search still answers from the lexical index and the problem is logged', async () => {
    dataDir = tempDir();
    const embedder = new CountingEmbedder();
    embedder.failing = true;
    const lines: string[] = [];

    const retriever = await openRetriever({ knowledge: knowledgeOf(notes, 'hash-1'), dataDir, embedder, log: recordingLogger(lines) });
    const passages = await retriever.search('when is roc auc misleading');

    expect(retriever.index).toBeUndefined();
    expect(passages[0]?.id).toBe('roc-auc#when-roc-auc-is-misleading');
    expect(lines).toContain('warn vector index unavailable; search is lexical only');
  });

  it('GIVEN a working index WHEN the embedder fails for one query THEN that query falls back to lexical results', async () => {
    dataDir = tempDir();
    const embedder = new CountingEmbedder();
    const lines: string[] = [];
    const retriever = await openRetriever({ knowledge: knowledgeOf(notes, 'hash-1'), dataDir, embedder, log: recordingLogger(lines) });
    embedder.failing = true;

    const passages = await retriever.search('point in time joins leak labels');

    expect(passages[0]?.noteId).toBe('feature-stores');
    expect(lines.some((line) => line.startsWith('warn query embedding failed'))).toBe(true);
  });
});
