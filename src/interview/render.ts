import type { Button, Reply } from '../core/model/message.js';
import { reply } from '../core/model/message.js';
import type { GradeResult } from '../core/ports/grader.js';
import type { Passage } from '../core/ports/retriever.js';
import type { Question } from '../knowledge/types.js';
import type { InterviewSession } from './session.js';

/** Quotes a user's text on one line, shortened, so feedback stays readable. */
export function quote(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

export function questionButtons(sessionId: string): Button[] {
  return [
    { action: 'hint', label: 'Hint', value: sessionId },
    { action: 'skip', label: 'Skip', value: sessionId },
    { action: 'end', label: 'End', value: sessionId, style: 'danger' },
    { action: 'answer-form', label: 'Answer in a form', value: sessionId, style: 'primary' },
  ];
}

function answerHowTo(platform: string): string {
  return platform === 'terminal'
    ? '_Type your answer; finish with an empty line. Commands: `hint`, `skip`, `repeat`, `end`; `/ask <question>` looks something up without answering._'
    : '_Reply with your answer (start a message with `...` if you want to continue it in the next one). Buttons: Hint, Skip, End; `/coach ask <question>` looks something up._';
}

export function renderQuestion(session: InterviewSession, question: Question, options: { repeated?: boolean; openThread?: boolean } = {}): Reply {
  const number = `${session.index + 1}/${session.questionIds.length}`;
  const label = session.kind === 'daily' ? "Today's question" : `Question ${number}`;
  // Later design phases only need the phase prompt; the scenario was shown at phase 1 (and on `repeat`).
  const laterPhase = question.phases.length > 0 && session.phaseIndex > 0 && !options.repeated;
  const sections = laterPhase ? [] : [{ body: question.question }];
  if (question.phases.length > 0) {
    const phase = question.phases[session.phaseIndex] ?? question.phases[0];
    if (session.phaseIndex === 0) {
      sections.push({ body: `We will go phase by phase: ${question.phases.map((item) => item.phase).join(' → ')}.` });
    }
    if (phase) sections.push({ body: `**Phase ${session.phaseIndex + 1}/${question.phases.length} — ${phase.phase}:** ${phase.prompt}` });
  }
  sections.push({ body: answerHowTo(session.conversation.platform) });
  return reply({
    kind: 'question',
    title: `${label} · ${question.area} · ${question.level}${session.reviews.includes(question.id) ? ' · review' : ''}${options.repeated ? ' (again)' : ''}`,
    sections,
    buttons: questionButtons(session.id),
    sessionRef: session.id,
    ...(options.openThread ? { openThread: { name: `Mock interview: ${session.track}`.slice(0, 90) } } : {}),
  });
}

export interface PassagePointer {
  pointId: string;
  passage: Passage;
}

export function pointerText(passage: Passage): string {
  return `${passage.title} › ${passage.section} (\`${passage.id}\`)`;
}

export function renderFeedback(
  question: Question,
  result: GradeResult,
  pointers: readonly PassagePointer[],
  options: { title?: string; showModelAnswer: boolean; sessionRef?: string },
): Reply {
  const covered = result.criteria.filter((criterion) => criterion.met);
  const missed = result.criteria.filter((criterion) => !criterion.met);
  const sections: { heading?: string; body: string; collapsed?: boolean }[] = [];
  if (covered.length) {
    sections.push({
      heading: 'Covered',
      body: covered.map((criterion) => `- ✓ **${criterion.point}**${criterion.evidence ? `\n  > you said: ${quote(criterion.evidence)}` : ''}`).join('\n'),
    });
  }
  if (missed.length) {
    sections.push({
      heading: 'Missed',
      body: missed
        .map((criterion) => {
          const pointer = pointers.find((item) => item.pointId === criterion.id);
          const partial = criterion.score > 0.25 ? ' (partly there)' : '';
          return `- ✗ ${criterion.mustHave ? '**must-have:** ' : ''}${criterion.point}${partial}${pointer ? `\n  → read: ${pointerText(pointer.passage)}` : ''}`;
        })
        .join('\n'),
    });
  }
  if (result.misconceptions.length) {
    sections.push({
      heading: 'Misconceptions',
      body: result.misconceptions
        .map((item) => `- ⚠ ${item.text} (−${item.penalty})\n  > you said: ${quote(item.evidence)}${item.correction ? `\n  Actually: ${item.correction}` : ''}`)
        .join('\n'),
    });
  }
  if (result.notices.length) sections.push({ heading: 'Notes', body: result.notices.map((notice) => `- ${notice}`).join('\n') });
  if (options.showModelAnswer) sections.push({ heading: 'Model answer', body: question.rubric.modelAnswer, collapsed: true });
  return reply({
    kind: 'feedback',
    title: options.title ?? `Score: ${result.score}/100 · ${result.verdict}${result.grader === 'llm' ? ' · graded by LLM' : ''}`,
    sections,
    score: result.score,
    ...(options.sessionRef ? { sessionRef: options.sessionRef } : {}),
  });
}
