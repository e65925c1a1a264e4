import { describe, expect, it } from 'vitest';
import { analyzeText, spellingKey, splitSentences } from '../../src/grading/analyze.js';
import { areSynonyms } from '../../src/grading/synonyms.js';
import { areAntonyms, editDistance, sameRoot, softCredit, SOFT_THRESHOLD, SOFT_THRESHOLD_COMMON, typoCredit } from '../../src/grading/wordMatch.js';
import { matchStem } from '../../src/grading/analyze.js';

const negated = (text: string) => analyzeText(text).tokens.filter((token) => token.negated).map((token) => token.word);

describe('grading text analysis', () => {
  it('GIVEN an answer typed in lower case with bullets and abbreviations WHEN split THEN sentences are verbatim slices', () => {
    const text = 'auc measures ranking. it ignores calibration, e.g. reliability!\n- Use the PR curve; report AP at 3.5%.\n\n2) done';
    const sentences = splitSentences(text);
    expect(sentences.map((sentence) => sentence.text)).toEqual(['auc measures ranking.', 'it ignores calibration, e.g. reliability!', 'Use the PR curve;', 'report AP at 3.5%.', 'done']);
    for (const sentence of sentences) expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it('GIVEN negation cues WHEN analysed THEN the rest of the clause is negated, but not after "not only" or past a new clause', () => {
    expect(negated('AUC is not the accuracy of the model')).toEqual(['accuracy', 'model']);
    expect(negated("it doesn't capture calibration, but it measures ranking")).toEqual(['capture', 'calibration']);
    expect(negated('not only precision but recall')).toEqual([]);
    expect(negated('rather than accuracy, use average precision')).toEqual(['accuracy']);
    expect(negated('AUC is not accuracy and it measures ranking')).toEqual(['accuracy']);
    expect(negated('train without a validation set')).toEqual(['validation', 'set']);
    expect(negated('use a non-linear model')).toEqual(['linear']);
  });

  it('GIVEN British and American spellings WHEN stemmed for matching THEN they share a stem', () => {
    expect(matchStem('quantisation')).toBe(matchStem('quantization'));
    expect(matchStem('standardise')).toBe(matchStem('standardized'));
    expect(matchStem('behaviour')).toBe(matchStem('behavior'));
    expect(matchStem('analyse')).toBe(matchStem('analyze'));
    expect(spellingKey('noise')).toBe('noise');
  });
});

describe('grading word matching', () => {
  const facts = (word: string, rank?: number) => ({ word, stem: matchStem(word), rank });

  it('GIVEN misspellings WHEN compared THEN edit distance 1 is tolerated from 5 letters and 2 from 8', () => {
    expect(editDistance('precision', 'precison', 2)).toBe(1);
    expect(editDistance('calibration', 'calibartion', 2)).toBe(1);
    expect(typoCredit(facts('precision', 9278), facts('precison'))).toBeGreaterThan(0);
    expect(typoCredit(facts('recall', 4444), facts('recal'))).toBeGreaterThan(0);
    expect(typoCredit(facts('threshold', 9064), facts('treshhold'))).toBeGreaterThan(0);
    expect(typoCredit(facts('bias', 8237), facts('bais'))).toBe(0);
    expect(typoCredit(facts('model', 1334), facts('mdoelz'))).toBe(0);
  });

  it('GIVEN two different ordinary words or opposites WHEN compared THEN they are not typos of each other', () => {
    expect(typoCredit(facts('class', 846), facts('glass', 1700))).toBe(0);
    expect(typoCredit(facts('unlikely', 5000), facts('likely', 400))).toBe(0);
  });

  it('GIVEN opposites WHEN checked THEN listed pairs, their comparatives and negating prefixes are antonyms', () => {
    expect(areAntonyms('high', 'low')).toBe(true);
    expect(areAntonyms('higher', 'low')).toBe(true);
    expect(areAntonyms('larger', 'smaller')).toBe(true);
    expect(areAntonyms('biased', 'unbiased')).toBe(true);
    expect(areAntonyms('overfitting', 'underfitting')).toBe(true);
    expect(areAntonyms('precision', 'accuracy')).toBe(true);
    expect(areAntonyms('large', 'huge')).toBe(false);
  });

  it('GIVEN related word forms and listed synonyms WHEN compared THEN they match', () => {
    expect(sameRoot('random', 'randomly')).toBe(true);
    expect(sameRoot('arbitrary', 'arbitrarily')).toBe(true);
    expect(sameRoot('simple', 'simply')).toBe(true);
    expect(sameRoot('apply', 'app')).toBe(false);
    expect(areSynonyms(matchStem('threshold'), matchStem('cutoff'))).toBe(true);
    expect(areSynonyms(matchStem('costly'), matchStem('expensive'))).toBe(true);
    expect(areSynonyms(matchStem('threshold'), matchStem('precision'))).toBe(false);
  });

  it('GIVEN a word-vector cosine WHEN turned into credit THEN frequent words need a higher cosine and credit stays below an exact match', () => {
    expect(softCredit(SOFT_THRESHOLD - 0.01)).toBe(0);
    expect(softCredit(SOFT_THRESHOLD)).toBeGreaterThan(0);
    expect(softCredit(SOFT_THRESHOLD + 0.02, 100, 50_000)).toBe(0);
    expect(softCredit(SOFT_THRESHOLD_COMMON, 100, 50_000)).toBeGreaterThan(0);
    expect(softCredit(0.99)).toBeLessThan(1);
  });
});
