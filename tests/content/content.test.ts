import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/bootstrap.js';
import { selfCheck, type SelfCheckReport } from '../../src/grading/selfCheck.js';
import { AREAS, LEVELS, TRACKS } from '../../src/knowledge/areas.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { formatProblem } from '../../src/knowledge/types.js';
import { contentStems } from '../../src/text/tokenize.js';
import { FakeClock, cleanup, startApp, tempDir } from '../support/app.js';

const { knowledge, problems } = loadKnowledge('knowledge');
const TRACK_AREAS = new Set(Object.values(TRACKS).flat());

let app: App;
let dir: string;
let reports: SelfCheckReport[] = [];

beforeAll(async () => {
  dir = tempDir();
  app = await startApp(dir, new FakeClock(new Date('2026-01-05T09:00:00Z')));
  reports = [];
  for (const question of knowledge.questions) reports.push(await selfCheck(question, app.grader));
});

afterAll(async () => {
  await app.close();
  cleanup(dir);
});

describe('knowledge files', () => {
  it('GIVEN every note and question file WHEN validated THEN there are no schema, id or reference problems', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('GIVEN the bank WHEN counting THEN it meets the amounts: 60+ notes, 2+ per area, 200+ questions, 25+ per track, 6+ per other area, every level in every track', () => {
    expect(knowledge.notes.length).toBeGreaterThanOrEqual(60);
    for (const area of AREAS) expect({ area, notes: knowledge.notes.filter((note) => note.area === area).length >= 2 }).toEqual({ area, notes: true });
    expect(knowledge.questions.length).toBeGreaterThanOrEqual(200);
    for (const [track, areas] of Object.entries(TRACKS)) {
      const questions = knowledge.questions.filter((question) => areas.includes(question.area));
      expect({ track, enough: questions.length >= 25 }).toEqual({ track, enough: true });
      for (const level of LEVELS) expect({ track, level, present: questions.some((question) => question.level === level) }).toEqual({ track, level, present: true });
    }
    for (const area of AREAS.filter((area) => !TRACK_AREAS.has(area))) {
      expect({ area, enough: knowledge.questions.filter((question) => question.area === area).length >= 6 }).toEqual({ area, enough: true });
    }
  });

  it('GIVEN every question WHEN its rubric is inspected THEN it has 4-7 weighted key points (6-10 in phases for system design), each backed by a note, 1-3 misconceptions, three hint tiers and 1-3 follow-ups', () => {
    const bad: string[] = [];
    for (const question of knowledge.questions) {
      const { keyPoints, misconceptions, hints, followUps } = question.rubric;
      const phased = question.phases.length > 0;
      if (question.area === 'ml-system-design' && !phased) bad.push(`${question.id}: system-design question without phases`);
      const [min, max] = phased ? [6, 10] : [4, 7];
      if (keyPoints.length < min || keyPoints.length > max) bad.push(`${question.id}: ${keyPoints.length} key points`);
      if (keyPoints.some((point) => point.notes.length === 0)) bad.push(`${question.id}: a key point without backing notes`);
      if (misconceptions.length < 1 || misconceptions.length > 3) bad.push(`${question.id}: ${misconceptions.length} misconceptions`);
      if (hints.length !== 3) bad.push(`${question.id}: ${hints.length} hints`);
      if (followUps.length < 1 || followUps.length > 3) bad.push(`${question.id}: ${followUps.length} follow-ups`);
    }
    expect(bad).toEqual([]);
  });

  it('GIVEN any two questions WHEN their wording is compared THEN no two are near-duplicates', () => {
    const sets = knowledge.questions.map((question) => ({ id: question.id, stems: new Set(contentStems(question.question)) }));
    const pairs: string[] = [];
    for (let i = 0; i < sets.length; i += 1) {
      for (let j = i + 1; j < sets.length; j += 1) {
        const a = sets[i]!;
        const b = sets[j]!;
        let shared = 0;
        for (const stem of a.stems) if (b.stems.has(stem)) shared += 1;
        const jaccard = shared / (a.stems.size + b.stems.size - shared || 1);
        if (jaccard >= 0.6) pairs.push(`${a.id} ~ ${b.id} (${jaccard.toFixed(2)})`);
      }
    }
    expect(pairs).toEqual([]);
  });
});

describe('retrievability', () => {
  it('GIVEN every key point WHEN its text is used as a query THEN its backing note is among the top 5 notes', async () => {
    const misses: string[] = [];
    for (const question of knowledge.questions) {
      for (const point of question.rubric.keyPoints) {
        const passages = await app.retriever.search(point.text, { k: 20 });
        const topNotes = [...new Set(passages.map((passage) => passage.noteId))].slice(0, 5);
        if (!topNotes.some((noteId) => point.notes.includes(noteId))) misses.push(`${question.id}/${point.id} -> wanted ${point.notes.join('|')}, got ${topNotes.join(', ')}`);
      }
    }
    expect(misses).toEqual([]);
  });
});

describe('self-consistency under the offline grader', () => {
  it('GIVEN each model answer WHEN graded against its own rubric THEN it scores at least 85', () => {
    expect(reports.filter((report) => report.modelAnswer < 85).map((report) => `${report.questionId}: ${report.modelAnswer}`)).toEqual([]);
  });

  it('GIVEN an answer made of one misconception WHEN graded THEN it scores at most 30', () => {
    const bad = reports.flatMap((report) => report.misconceptions.filter((item) => item.score > 30).map((item) => `${report.questionId}: ${item.score} for "${item.text}"`));
    expect(bad).toEqual([]);
  });

  it('GIVEN an evasive answer or the question echoed back WHEN graded THEN it scores at most 5', () => {
    expect(reports.filter((report) => report.evasive > 5 || report.echo > 5).map((report) => `${report.questionId}: evasive ${report.evasive}, echo ${report.echo}`)).toEqual([]);
  });
});
