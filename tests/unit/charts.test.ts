import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PngChartRenderer } from '../../src/charts/progressChart.js';
import { buildProgress } from '../../src/core/progress.js';
import type { AnswerRecord } from '../../src/core/ports/store.js';
import { cleanup, tempDir } from '../support/app.js';

const dir = tempDir();
afterAll(() => cleanup(dir));

function answer(day: number, area: string, score: number): AnswerRecord {
  return { id: `a${day}${area}`, userId: 'u', questionId: `q-${area}-${day}`, area, level: 'medium', source: 'interview', score, maxScore: 100, grader: 'offline', skipped: false, missedPoints: [], createdAt: new Date(Date.UTC(2026, 0, day, 12)) };
}

describe('progress charts', () => {
  it('GIVEN graded answers over several days WHEN the chart is rendered THEN a real PNG file is written', async () => {
    const answers = [answer(1, 'evaluation-metrics', 40), answer(2, 'mlops', 70), answer(3, 'evaluation-metrics', 85), answer(4, 'classic-ml', 55)];
    const report = buildProgress('slack:T1:U1', answers, 2, 'Europe/Berlin', new Date(Date.UTC(2026, 0, 4, 18)));
    const path = await new PngChartRenderer(join(dir, 'charts')).renderProgress('slack:T1:U1', report);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(statSync(path).size).toBeGreaterThan(5_000);
    expect(bytes.readUInt32BE(16)).toBe(800);
    expect(bytes.readUInt32BE(20)).toBe(420);
  });
});
