import { COMMANDS } from './commands/list.js';
import { reply, type Reply } from './model/message.js';
import type { GroundedAnswer } from './ports/retriever.js';
import type { ProgressReport } from './progress.js';
import { trackNames } from '../knowledge/areas.js';

export function helpReply(): Reply {
  const lines = COMMANDS.map((command) => `- \`${command.usage}\` — ${command.summary}`);
  return reply({
    kind: 'info',
    private: true,
    title: 'mle-coach: practise ML engineering interviews out loud',
    sections: [
      { body: lines.join('\n') },
      { heading: 'Tracks', body: trackNames().map((name) => `\`${name}\``).join(', ') },
      { body: 'Anything else you type is treated as a question (`ask`). During an interview, what you type is your answer.' },
    ],
  });
}

export function infoReply(body: string, options: { private?: boolean; title?: string } = {}): Reply {
  return reply({ kind: 'info', private: options.private ?? false, sections: [{ body }], ...(options.title ? { title: options.title } : {}) });
}

export function errorReply(body: string): Reply {
  return reply({ kind: 'error', private: true, sections: [{ body }] });
}

export function answerReply(answer: GroundedAnswer): Reply {
  // The offline answerer already ends its text with a source list; do not print it twice.
  const listsSources = /(^|\n|\. )(Sources|Nearest notes|The nearest notes)[^\n]*:/i.test(answer.answer);
  const sources = listsSources ? [] : answer.sources.map((source, index) => `${index + 1}. ${source.title} › ${source.section} (\`${source.id}\`)`);
  return reply({
    kind: 'answer',
    sections: [{ body: answer.answer }, ...(sources.length ? [{ heading: answer.covered ? 'Sources' : 'Nearest notes', body: sources.join('\n') }] : [])],
  });
}

function bar(value: number): string {
  const filled = Math.round(value / 10);
  return `${'█'.repeat(filled)}${'░'.repeat(10 - filled)}`;
}

export function progressReply(report: ProgressReport, chartPath: string | undefined): Reply {
  if (report.totalAnswered === 0) {
    return reply({ kind: 'progress', private: true, title: 'Your progress', sections: [{ body: 'No graded answers yet. Start with `interview` or `quiz`.' }] });
  }
  const sections = [
    { heading: 'Mastery by area', body: report.areas.map((area) => `- \`${bar(area.mastery)}\` ${area.area}: **${area.mastery}**/100 (${area.answered} question${area.answered === 1 ? '' : 's'})`).join('\n') },
    { heading: 'Weakest areas', body: report.weakest.map((area) => `- ${area.area} (${area.mastery}/100) — \`interview ${area.area}\``).join('\n') },
    {
      heading: 'Recent scores',
      body: report.recent.map((item) => `- ${item.score}/100 · ${item.area} · \`${item.questionId}\``).join('\n'),
    },
    {
      body: `Reviews due: **${report.dueReviews}**${report.dueReviews ? ' (they come up first in your next `interview`)' : ''} · Streak: **${report.streakDays}** day${report.streakDays === 1 ? '' : 's'} · Answers graded: ${report.totalAnswered}`,
    },
  ];
  return reply({ kind: 'progress', private: true, title: 'Your progress', sections, images: chartPath ? [{ path: chartPath, alt: 'Mastery per area and score over time' }] : [] });
}
