import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import type { KeyPoint, Rubric } from '../core/ports/grader.js';
import { DESIGN_PHASES } from './areas.js';
import { parseMarkdownNote, slugify } from './markdown.js';
import { noteFrontMatterSchema, questionFileSchema, type QuestionInput, type RubricInput } from './schema.js';
import type { KnowledgeBase, KnowledgeProblem, Note, Question } from './types.js';

const MAX_FILE_BYTES = 2_000_000;

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const full = join(dir, entry);
    const stats = statSync(full);
    if (stats.isDirectory()) files.push(...listFiles(full));
    else if (stats.isFile()) files.push(full);
  }
  return files;
}

function zodProblems(file: string, error: ZodError, prefix = ''): KnowledgeProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: prefix + (issue.path.length ? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') : '(root)'),
    reason: issue.message,
  }));
}

function readText(file: string, rel: string, problems: KnowledgeProblem[]): string | undefined {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) {
    problems.push({ file: rel, field: '(file)', reason: `is ${size} bytes; the limit is ${MAX_FILE_BYTES}` });
    return undefined;
  }
  const buffer = readFileSync(file);
  if (buffer.includes(0)) {
    problems.push({ file: rel, field: '(file)', reason: 'looks binary (contains NUL bytes); knowledge files must be UTF-8 text' });
    return undefined;
  }
  return buffer.toString('utf8');
}

function loadNote(file: string, rel: string, problems: KnowledgeProblem[]): Note | undefined {
  const source = readText(file, rel, problems);
  if (source === undefined) return undefined;
  const parsed = parseMarkdownNote(source);
  if (!parsed.ok) {
    problems.push({ file: rel, field: 'front-matter', reason: parsed.reason });
    return undefined;
  }
  const front = noteFrontMatterSchema.safeParse(parsed.value.frontMatter ?? {});
  if (!front.success) {
    problems.push(...zodProblems(rel, front.error, 'front-matter.'));
    return undefined;
  }
  if (parsed.value.sections.length === 0) {
    problems.push({ file: rel, field: 'body', reason: 'has no text; add at least one "## Section" with content' });
    return undefined;
  }
  const seen = new Map<string, number>();
  const sections = parsed.value.sections.map((section) => {
    const base = slugify(section.heading) || 'section';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const slug = count === 1 ? base : `${base}-${count}`;
    return { id: `${front.data.id}#${slug}`, heading: section.heading, text: section.text };
  });
  return { ...front.data, title: front.data.title, path: rel, sections };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Fills defaults and ids so a rubric from a file, a CLI line or an LLM prompt looks the same. */
export function normalizeRubric(input: RubricInput): Rubric {
  const keyPoints: KeyPoint[] = input.keyPoints.map((point, index) => ({
    id: point.id ?? `kp${index + 1}`,
    text: point.text,
    weight: point.weight,
    mustHave: point.mustHave,
    match: point.match,
    notes: point.notes,
    ...(point.phase ? { phase: point.phase } : {}),
  }));
  return {
    keyPoints,
    misconceptions: input.misconceptions.map((item) => ({ text: item.text, match: item.match, penalty: item.penalty, ...(item.correction ? { correction: item.correction } : {}) })),
    modelAnswer: input.modelAnswer,
    hints: input.hints,
    followUps: input.followUps,
  };
}

function toQuestion(input: QuestionInput, rel: string): Question {
  const rubric = normalizeRubric(input.rubric);
  return {
    id: input.id,
    area: input.area,
    level: input.level,
    tags: input.tags,
    question: input.question,
    rubric,
    phases: input.phases ?? [],
    path: rel,
    version: hashOf({ question: input.question, rubric }),
  };
}

function loadQuestionFile(file: string, rel: string, problems: KnowledgeProblem[]): Question[] {
  const source = readText(file, rel, problems);
  if (source === undefined) return [];
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    problems.push({ file: rel, field: '(file)', reason: `is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}` });
    return [];
  }
  const questions: Question[] = [];
  // Validate question by question so one bad entry does not hide the problems of the others.
  const list = (data as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(list)) {
    const parsed = questionFileSchema.safeParse(data ?? {});
    if (!parsed.success) problems.push(...zodProblems(rel, parsed.error));
    return [];
  }
  list.forEach((entry: unknown, index: number) => {
    const parsed = questionFileSchema.shape.questions.element.safeParse(entry);
    const label = typeof (entry as { id?: unknown })?.id === 'string' ? `questions[${index}](${(entry as { id: string }).id}).` : `questions[${index}].`;
    if (!parsed.success) problems.push(...zodProblems(rel, parsed.error, label));
    else questions.push(toQuestion(parsed.data, rel));
  });
  return questions;
}

function checkQuestion(question: Question, noteIds: Set<string>, problems: KnowledgeProblem[]): void {
  const where = (field: string) => ({ file: question.path, field: `${question.id}.${field}` });
  const pointIds = new Set<string>();
  question.rubric.keyPoints.forEach((point, index) => {
    if (pointIds.has(point.id)) problems.push({ ...where(`rubric.keyPoints[${index}].id`), reason: `duplicate key point id "${point.id}"` });
    pointIds.add(point.id);
    for (const note of point.notes) {
      if (!noteIds.has(note)) problems.push({ ...where(`rubric.keyPoints[${index}].notes`), reason: `refers to note "${note}", which does not exist` });
    }
  });
  if (question.phases.length > 0) {
    const phaseNames = new Set(question.phases.map((phase) => phase.phase));
    question.rubric.keyPoints.forEach((point, index) => {
      if (!point.phase) problems.push({ ...where(`rubric.keyPoints[${index}].phase`), reason: 'is required because the question has phases' });
      else if (!phaseNames.has(point.phase)) problems.push({ ...where(`rubric.keyPoints[${index}].phase`), reason: `"${point.phase}" is not one of this question's phases` });
    });
    for (const phase of question.phases) {
      if (!question.rubric.keyPoints.some((point) => point.phase === phase.phase)) {
        problems.push({ ...where('phases'), reason: `phase "${phase.phase}" has no key points` });
      }
    }
    const order = question.phases.map((phase) => DESIGN_PHASES.indexOf(phase.phase));
    if (order.some((value, index) => index > 0 && value <= (order[index - 1] ?? -1))) {
      problems.push({ ...where('phases'), reason: `must be in the order ${DESIGN_PHASES.join(', ')} without repeats` });
    }
  }
}

export interface LoadOutcome {
  knowledge: KnowledgeBase;
  problems: KnowledgeProblem[];
}

/**
 * Reads every note and question under `root`. Bad files are reported (file, field, reason)
 * and left out, so one typo does not take the whole bot down.
 */
export function loadKnowledge(root: string, options: { cacheDir?: string } = {}): LoadOutcome {
  const problems: KnowledgeProblem[] = [];
  const hash = createHash('sha256');
  const notes: Note[] = [];
  const questions: Question[] = [];
  const files = listFiles(root);
  if (files.length === 0) problems.push({ file: root, field: '(folder)', reason: 'no knowledge files found (expected notes/<area>/*.md and questions/*.yaml)' });
  for (const file of files) hash.update(relative(root, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  const contentHash = hash.digest('hex').slice(0, 32);
  // Parsing ~1 MB of YAML dominates cold start; the parsed result is cached by content hash.
  const cacheFile = options.cacheDir ? join(options.cacheDir, `knowledge-${CACHE_VERSION}-${contentHash}.json`) : undefined;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as LoadOutcome;
      return { knowledge: { ...cached.knowledge, root }, problems: cached.problems };
    } catch {
      // A damaged cache is ignored and rewritten below.
    }
  }
  for (const file of files) {
    const rel = relative(root, file).split(sep).join('/');
    if (rel.startsWith('notes/') && rel.endsWith('.md')) {
      const note = loadNote(file, rel, problems);
      if (note) notes.push(note);
    } else if (rel.startsWith('questions/') && /\.(ya?ml|json)$/.test(rel)) {
      questions.push(...loadQuestionFile(file, rel, problems));
    }
  }
  const noteIds = new Set<string>();
  for (const note of notes) {
    if (noteIds.has(note.id)) problems.push({ file: note.path, field: 'front-matter.id', reason: `duplicate note id "${note.id}"` });
    noteIds.add(note.id);
    const folderArea = note.path.split('/')[1];
    if (folderArea !== note.area) problems.push({ file: note.path, field: 'front-matter.area', reason: `is "${note.area}" but the note lives in notes/${folderArea}/` });
  }
  const questionIds = new Set<string>();
  for (const question of questions) {
    if (questionIds.has(question.id)) problems.push({ file: question.path, field: `${question.id}.id`, reason: `duplicate question id "${question.id}"` });
    questionIds.add(question.id);
    checkQuestion(question, noteIds, problems);
  }
  const outcome = { knowledge: { root, notes, questions, contentHash }, problems };
  if (cacheFile) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(outcome));
      renameSync(temp, cacheFile);
    } catch {
      // Caching is an optimisation; a read-only data dir still works.
    }
  }
  return outcome;
}

/** Bump when the parsed shape changes, so old caches are not read. */
const CACHE_VERSION = 'v1';
