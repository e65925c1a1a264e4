import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../src/adapters/discord/render.js';
import { contentBlocks } from '../../src/adapters/slack/blocks.js';
import { renderForTerminal } from '../../src/adapters/terminal/render.js';
import { maxScoreAfterHints, reviewRatingFor, toneFor, verdictFor, verdictWord } from '../../src/core/gradingPolicy.js';
import { reply } from '../../src/core/model/message.js';
import { ratingForScore } from '../../src/interview/reviews.js';
import { Rating } from 'ts-fsrs';

describe('the grading policy', () => {
  it('GIVEN scores at each band edge THEN verdict, tone and review rating move together', () => {
    expect([85, 84, 65, 64, 40, 39, 10, 9].map(verdictFor)).toEqual(['excellent', 'good', 'good', 'partial', 'partial', 'weak', 'weak', 'missing']);
    expect([85, 65, 64, 40, 39].map((score) => toneFor(score))).toEqual(['good', 'good', 'fair', 'fair', 'poor']);
    expect([90, 70, 50, 20].map(reviewRatingFor)).toEqual(['easy', 'good', 'hard', 'again']);
    expect([90, 70, 50, 20].map(ratingForScore)).toEqual([Rating.Easy, Rating.Good, Rating.Hard, Rating.Again]);
  });

  it('GIVEN a passing score THEN its words never say "not yet"', () => {
    for (let score = 40; score <= 100; score += 1) expect(verdictWord(score)).not.toMatch(/not yet/i);
    expect(verdictWord(20)).toBe('not yet');
  });

  it('GIVEN hints taken THEN each lowers the ceiling by the same step down to a floor', () => {
    expect([0, 1, 2, 3, 4, 10].map(maxScoreAfterHints)).toEqual([100, 85, 70, 55, 40, 40]);
  });

  it('GIVEN a 70 THEN the terminal, Slack and Discord all show it as good', () => {
    const graded = reply({ kind: 'feedback', title: 'Score: 70/100', score: 70 });
    expect(graded.tone).toBe('good');
    expect(renderForTerminal(graded, true)).toContain('\u001b[32m');
    expect(JSON.stringify(contentBlocks(graded))).toContain(':large_green_circle:');
    const embed = renderDiscord(graded, { owner: '*' })[0]?.embeds?.[0];
    expect(embed?.color).toBe(0x57f287);
  });

  it('GIVEN the source tree THEN no module outside the policy compares a score with a band threshold', () => {
    const band = /score\s*(>=|<=|<|>)\s*(85|80|65|50|40)\b/;
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => join('src', file));
    const hits = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => band.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(hits).toEqual([]);
  });
});
