import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Grader } from '../core/ports/grader.js';
import { loadKnowledge } from '../knowledge/load.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { openWordVectors } from '../knowledge/wordVectors.js';
import { packageRoot } from '../shared/paths.js';
import { contentStems } from '../text/tokenize.js';
import { loadDevSet, type DevAnswerKind, type DevQuestion } from './devSet.js';
import { OfflineGrader } from './offlineGrader.js';
import { rubricFromReference } from './reference.js';

/**
 * Agreement of a grader with the hand-labelled dev set: Pearson r and mean absolute error, next to
 * a baseline (share of the model answer's content words that the answer uses).
 *
 *   node dist/src/grading/devEval.js [--verbose] [--json] [--live] [--reference] [--bench]
 *        [--fixture <yaml>] [--cache-dir <dir>] [--knowledge <dir>]
 */

export const DEFAULT_DEV_SET = join(packageRoot, 'tests', 'fixtures', 'grading-dev.yaml');

export interface DevRow {
  questionId: string;
  kind: DevAnswerKind;
  label: number;
  score: number;
  baseline: number;
  text: string;
}

export interface Agreement {
  pearson: number;
  mae: number;
}

export interface DevReport {
  answers: number;
  questions: number;
  grader: Agreement;
  baseline: Agreement;
  /** Mean label and mean score per answer kind. */
  byKind: Partial<Record<DevAnswerKind, { answers: number; label: number; score: number }>>;
  rows: DevRow[];
  /** Questions graded against the live knowledge rubric whose version differs from the snapshot. */
  drifted: string[];
}

export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i += 1) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function meanAbsoluteError(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += Math.abs((xs[i] as number) - (ys[i] as number));
  return n > 0 ? sum / n : 0;
}

/** The baseline: percentage of the model answer's distinct content stems that the answer uses. */
export function overlapBaseline(answer: string, modelAnswer: string): number {
  const model = new Set(contentStems(modelAnswer));
  if (model.size === 0) return 0;
  const used = new Set(contentStems(answer));
  let shared = 0;
  for (const stem of model) if (used.has(stem)) shared += 1;
  return Math.round((100 * shared) / model.size);
}

export interface DevEvalOptions {
  grader: Grader;
  /** Defaults to tests/fixtures/grading-dev.yaml. */
  path?: string;
  /** Grade against the current knowledge rubrics (by id) instead of the snapshots. */
  live?: KnowledgeBase;
  /** Ignore the rubrics: grade against `rubricFromReference(question, modelAnswer)`. */
  referenceOnly?: boolean;
}

function liveQuestion(question: DevQuestion, knowledge: KnowledgeBase, drifted: string[]): DevQuestion {
  const current = knowledge.questions.find((candidate) => candidate.id === question.id);
  if (!current) {
    drifted.push(`${question.id} (gone; using the snapshot)`);
    return question;
  }
  if (!question.source?.endsWith(`@${current.version}`)) drifted.push(question.id);
  return {
    ...question,
    question: current.question,
    rubric: current.rubric,
    answers: question.answers.map((answer) => (answer.kind === 'model' ? { ...answer, text: current.rubric.modelAnswer } : answer)),
  };
}

export async function evaluateDevSet(options: DevEvalOptions): Promise<DevReport> {
  const drifted: string[] = [];
  const questions = loadDevSet(options.path ?? DEFAULT_DEV_SET).map((question) => (options.live ? liveQuestion(question, options.live, drifted) : question));
  const rows: DevRow[] = [];
  for (const question of questions) {
    const rubric = options.referenceOnly ? rubricFromReference(question.question, question.rubric.modelAnswer) : question.rubric;
    for (const answer of question.answers) {
      const result = await options.grader.grade({ question: question.question, answer: answer.text, rubric, questionId: question.id });
      rows.push({ questionId: question.id, kind: answer.kind, label: answer.label, score: result.score, baseline: overlapBaseline(answer.text, question.rubric.modelAnswer), text: answer.text });
    }
  }
  const labels = rows.map((row) => row.label);
  const scores = rows.map((row) => row.score);
  const baselines = rows.map((row) => row.baseline);
  const byKind: DevReport['byKind'] = {};
  for (const row of rows) {
    const entry = byKind[row.kind] ?? { answers: 0, label: 0, score: 0 };
    entry.answers += 1;
    entry.label += row.label;
    entry.score += row.score;
    byKind[row.kind] = entry;
  }
  for (const entry of Object.values(byKind)) {
    entry.label = Math.round(entry.label / entry.answers);
    entry.score = Math.round(entry.score / entry.answers);
  }
  return {
    answers: rows.length,
    questions: questions.length,
    grader: { pearson: pearson(labels, scores), mae: meanAbsoluteError(labels, scores) },
    baseline: { pearson: pearson(labels, baselines), mae: meanAbsoluteError(labels, baselines) },
    byKind,
    rows,
    drifted,
  };
}

export function formatDevReport(report: DevReport, verbose = false): string {
  const lines = [
    `dev set: ${report.answers} answers to ${report.questions} questions`,
    `offline grader     Pearson r ${report.grader.pearson.toFixed(3)}   MAE ${report.grader.mae.toFixed(1)}`,
    `baseline (overlap) Pearson r ${report.baseline.pearson.toFixed(3)}   MAE ${report.baseline.mae.toFixed(1)}`,
    'by kind (mean label -> mean score):',
    ...Object.entries(report.byKind).map(([kind, entry]) => `  ${kind.padEnd(14)} n=${String(entry.answers).padStart(3)}  ${String(entry.label).padStart(3)} -> ${String(entry.score).padStart(3)}`),
  ];
  if (report.drifted.length > 0) lines.push(`live rubrics differ from the snapshot for: ${report.drifted.join(', ')}`);
  if (verbose) {
    lines.push('rows (label, score, baseline, question, kind, answer):');
    for (const row of report.rows) {
      lines.push(`  ${String(row.label).padStart(3)} ${String(row.score).padStart(3)} ${String(row.baseline).padStart(3)}  ${row.questionId} ${row.kind}: ${row.text.replace(/\s+/g, ' ').slice(0, 90)}`);
    }
  }
  return lines.join('\n');
}

/** Grades `total` dev-set answers (cycling through them); returns answers per second on this thread. */
export async function measureThroughput(grader: Grader, path: string = DEFAULT_DEV_SET, total = 2000): Promise<{ answers: number; seconds: number; perSecond: number }> {
  const items = loadDevSet(path).flatMap((question) => question.answers.map((answer) => ({ question: question.question, answer: answer.text, rubric: question.rubric })));
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i += 1) await grader.grade(items[i % items.length] as (typeof items)[number]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { answers: total, seconds, perSecond: total / seconds };
}

async function main(argv: readonly string[]): Promise<void> {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const vectors = await openWordVectors({ cacheDir: value('--cache-dir') ?? join(process.cwd(), 'data', 'cache') });
  const grader = new OfflineGrader(vectors);
  const live = argv.includes('--live') ? loadKnowledge(value('--knowledge') ?? join(packageRoot, 'knowledge')).knowledge : undefined;
  const path = value('--fixture') ?? DEFAULT_DEV_SET;
  const report = await evaluateDevSet({ grader, path, referenceOnly: argv.includes('--reference'), ...(live ? { live } : {}) });
  process.stdout.write(`${argv.includes('--json') ? JSON.stringify(report, null, 2) : formatDevReport(report, argv.includes('--verbose'))}\n`);
  if (argv.includes('--bench')) {
    const bench = await measureThroughput(grader, path);
    process.stdout.write(`throughput: ${bench.answers} answers in ${bench.seconds.toFixed(2)} s = ${Math.round(bench.perSecond)} answers/s (one thread)\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
