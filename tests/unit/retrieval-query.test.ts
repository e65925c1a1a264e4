import { describe, expect, it } from 'vitest';
import { comparedSides, leadingPassage } from '../../src/knowledge/answerer.js';
import { normaliseQuery } from '../../src/knowledge/retriever.js';

const terms = (...stems: string[]) => stems.map((stem) => ({ stem, weight: 1 }));

describe('query normalisation and comparison parsing', () => {
  it('GIVEN an answer-style framing WHEN normalising THEN it is removed and everyday phrasings are expanded separately', () => {
    expect(normaliseQuery('explain attention like im 5')).toEqual({ text: 'explain attention', expansion: '' });
    expect(normaliseQuery('p values in plain english').text).toBe('p values');
    expect(normaliseQuery('how many users do i need for an ab test').expansion).toBe('sample size');
    expect(normaliseQuery('how do I tell my manager').expansion).toBe('stakeholders');
  });

  it('GIVEN "diff between A and B" or "A vs B" WHEN parsing THEN each side keeps only its own stems', () => {
    expect(comparedSides('whats the diff between l1 and l2', terms('l1', 'l2'))).toEqual([['l1'], ['l2']]);
    expect(comparedSides('how does batch norm differ from layer norm', terms('batch', 'norm', 'layer'))).toEqual([['batch'], ['layer']]);
    expect(comparedSides('shadow vs canary?', terms('shadow', 'canari'))).toEqual([['shadow'], ['canari']]);
    expect(comparedSides('when is roc auc misleading', terms('roc', 'auc', 'mislead'))).toBeUndefined();
  });

  it('GIVEN top passages WHEN choosing the one that leads THEN a sibling heading naming the question (with the embedding agreeing) or a more focused note title wins, else the first', () => {
    const weighted = [{ stem: 'pick', weight: 3 }, { stem: 'k', weight: 2 }, { stem: 'mean', weight: 1.5 }, { stem: 'choos', weight: 1 }];
    const kmeans = (section: string, denseRank?: number) => ({ noteId: 'clustering', title: 'Clustering with k-means', section, ...(denseRank ? { denseRank } : {}) });
    expect(leadingPassage([kmeans('How k-means works', 3), kmeans('DBSCAN', 4), kmeans('Choosing k for k-means', 1)], weighted, 7.5)).toBe(2);
    // Without the embedding's agreement the first passage stays.
    expect(leadingPassage([kmeans('How k-means works', 1), kmeans('Choosing k for k-means', 2)], weighted, 7.5)).toBe(0);
    // Another note's better heading does not take over.
    expect(leadingPassage([kmeans('How k-means works', 3), { noteId: 'other', title: 'Other', section: 'Choosing k for k-means', denseRank: 1 }], weighted, 7.5)).toBe(0);
    const attention = [{ stem: 'attent', weight: 3 }];
    const pool = [
      { noteId: 'attribution', title: 'Explaining deep models: saliency, gradients, attention and counterfactuals', section: 'Is attention an explanation?' },
      { noteId: 'transformers', title: 'Transformers and attention', section: 'Multi-head attention' },
    ];
    expect(leadingPassage(pool, attention, 3)).toBe(1);
    expect(leadingPassage(pool, attention, 3, (rank) => rank === 0)).toBe(0);
  });
});
