import { reply, type Reply } from '../core/model/message.js';
import type { QuestionBank } from './bank.js';
import type { InterviewSession } from './session.js';

/** End-of-interview summary: per-area scores and what to study next. */
export function renderSummary(session: InterviewSession, bank: QuestionBank, reason: 'completed' | 'ended' | 'expired'): Reply {
  const answered = session.results.filter((result) => !result.skipped);
  const skipped = session.results.length - answered.length;
  const byArea = new Map<string, number[]>();
  const skippedByArea = new Map<string, number>();
  for (const result of session.results) {
    if (result.skipped) skippedByArea.set(result.area, (skippedByArea.get(result.area) ?? 0) + 1);
    else byArea.set(result.area, [...(byArea.get(result.area) ?? []), result.score]);
  }
  for (const area of skippedByArea.keys()) if (!byArea.has(area)) byArea.set(area, []);
  const areaLines = [...byArea.entries()]
    .map(([area, scores]) => ({ area, score: scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : undefined, count: scores.length, skipped: skippedByArea.get(area) ?? 0 }))
    .sort((a, b) => (a.score ?? -1) - (b.score ?? -1))
    .map((item) => `- ${item.area}: ${item.score === undefined ? 'skipped' : `**${item.score}/100** (${item.count} answered)`}${item.skipped && item.score !== undefined ? `, ${item.skipped} skipped` : ''}`);
  const overall = session.results.length ? Math.round(session.results.reduce((sum, result) => sum + (result.skipped ? 0 : result.score), 0) / session.results.length) : 0;

  // Notes behind the most-missed key points, heaviest first.
  const noteWeight = new Map<string, number>();
  for (const result of session.results) {
    const question = bank.question(result.questionId);
    if (!question) continue;
    for (const point of question.rubric.keyPoints) {
      if (!result.missed.includes(point.id)) continue;
      for (const noteId of point.notes) noteWeight.set(noteId, (noteWeight.get(noteId) ?? 0) + point.weight * (point.mustHave ? 2 : 1));
    }
  }
  const study = [...noteWeight.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([noteId]) => bank.note(noteId))
    .filter((note) => note !== undefined)
    .map((note) => `- ${note.title} (\`${note.id}\`) — try \`ask ${(note.title.split(/[:,(]/)[0] ?? note.title).trim().toLowerCase()}\``);

  if (session.kind === 'daily') {
    const result = session.results[0];
    return reply({
      kind: 'summary',
      title: "Today's question: done",
      sections: [{ body: `${result ? (result.skipped ? 'Skipped.' : `Score: **${result.score}/100**.`) : 'Not answered.'} A new question comes tomorrow (\`quiz\`); \`interview\` starts a full round, \`progress\` shows your streak.` }],
      sessionRef: session.id,
    });
  }
  const heading = reason === 'expired' ? 'Interview expired (idle too long) — your results so far' : reason === 'ended' ? 'Interview ended' : 'Interview complete';
  const sections = [
    {
      body: session.results.length
        ? `Overall: **${overall}/100** over ${session.results.length} question${session.results.length === 1 ? '' : 's'} (${answered.length} answered, ${skipped} skipped).`
        : 'No questions were answered, so there is nothing to score yet.',
    },
  ];
  if (areaLines.length) sections.push({ heading: 'By area', body: areaLines.join('\n') } as { heading: string; body: string });
  if (study.length) sections.push({ heading: 'Study next', body: study.join('\n') } as { heading: string; body: string });
  sections.push({ body: 'Your answers are saved. `progress` shows your mastery over time; `interview` starts another round.' });
  return reply({ kind: 'summary', title: heading, sections, sessionRef: session.id });
}
