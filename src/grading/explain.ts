import type { Rubric } from '../core/ports/grader.js';
import type { AnalyzedText } from './analyze.js';
import type { ItemCoverage } from './align.js';
import type { PreparedItem, PreparedRubric } from './prepare.js';

function describe(label: string, item: PreparedItem | undefined, match: ItemCoverage | undefined, prepared: PreparedRubric, answer: AnalyzedText): string[] {
  const lines = [`${label}`];
  const variant = match && match.variant >= 0 ? item?.variants[match.variant] : undefined;
  if (!item || !match || !variant) return [...lines, '  nothing aligned'];
  lines.push(`  best phrasing: "${variant.text}" coverage ${match.coverage.toFixed(2)} -> score ${match.score.toFixed(2)}`);
  const aligned = new Map(match.aligned.map((entry) => [entry.use, entry]));
  const parts = variant.uses.map((use, index) => {
    const term = prepared.terms[use.term];
    const name = `${use.negated ? '¬' : ''}${term?.word ?? '?'}${use.inQuestion ? '(q)' : ''}×${use.weight.toFixed(2)}`;
    const hit = aligned.get(index);
    if (!hit) return `${name} -`;
    const token = answer.tokens[hit.position];
    return `${name} <- ${token?.negated ? '¬' : ''}${token?.word ?? '?'} ${hit.credit.toFixed(2)}`;
  });
  lines.push(`  ${parts.join(' | ')}`);
  return lines;
}

/** Human-readable alignment trace: per key point and misconception, which answer word supplied which term. */
export function formatAlignment(rubric: Rubric, prepared: PreparedRubric, answer: AnalyzedText, points: readonly ItemCoverage[], misconceptions: readonly ItemCoverage[]): string {
  const lines: string[] = [];
  rubric.keyPoints.forEach((point, index) => lines.push(...describe(`point ${point.id} (weight ${point.weight}${point.mustHave ? ', must-have' : ''}): ${point.text}`, prepared.points[index], points[index], prepared, answer)));
  rubric.misconceptions.forEach((item, index) => lines.push(...describe(`misconception: ${item.text}`, prepared.misconceptions[index], misconceptions[index], prepared, answer)));
  return lines.join('\n');
}
