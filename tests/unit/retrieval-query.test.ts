import { describe, expect, it } from 'vitest';
import { comparedSides } from '../../src/knowledge/answerer.js';
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
});
