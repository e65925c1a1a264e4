import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, runRetrievalEval, type RetrievalReport } from '../../src/bench/retrievalEval.js';
import { removeDir, SHARED_CACHE_DIR, tempDir } from './retrievalSupport.js';

describe('retrieval quality on the dev query set', () => {
  const dataDir = tempDir();
  let report: RetrievalReport | undefined;
  const evaluate = async () => (report ??= await runRetrievalEval({ dataDir, cacheDir: SHARED_CACHE_DIR }));
  afterAll(() => removeDir(dataDir));

  it('GIVEN the dev queries WHEN evaluating THEN every expected note exists and there are at least 80 queries', async () => {
    const result = await evaluate();
    expect(result.unknownNotes).toEqual([]);
    expect(result.queries).toBeGreaterThanOrEqual(80);
  });

  it('GIVEN hybrid search WHEN evaluating THEN hit@3 and MRR stay above the floor and hybrid is not worse than either signal alone', async () => {
    const result = await evaluate();
    const score = (mode: string) => result.modes.find((entry) => entry.mode === mode) as RetrievalReport['modes'][number];
    const hybrid = score('hybrid');

    expect(hybrid.hitAt3, formatReport(result, true)).toBeGreaterThanOrEqual(0.85);
    expect(hybrid.mrr).toBeGreaterThanOrEqual(0.75);
    expect(score('dense').hitAt3).toBeGreaterThanOrEqual(0.6);
    // Small tolerance: the notes keep growing and a single query can swap places.
    expect(hybrid.hitAt3).toBeGreaterThanOrEqual(score('lexical').hitAt3 - 0.02);
    expect(hybrid.hitAt3).toBeGreaterThan(score('dense').hitAt3);
  });

  it('GIVEN in-scope and out-of-scope questions WHEN the offline answerer decides coverage THEN it answers the former and refuses the latter', async () => {
    const result = await evaluate();
    expect(result.coveredInScope).toBeGreaterThanOrEqual(0.9);
    expect(result.refusedOutOfScope).toBeGreaterThanOrEqual(0.8);
  });
});
