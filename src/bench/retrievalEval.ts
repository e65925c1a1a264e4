import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SearchOptions } from '../core/ports/retriever.js';
import { OfflineAnswerer } from '../knowledge/answerer.js';
import { loadKnowledge } from '../knowledge/load.js';
import { openRetriever, type HybridRetriever, type RetrieverTuning } from '../knowledge/retriever.js';
import { SifEmbedder, type SifOptions } from '../knowledge/sifEmbedder.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { openWordVectors } from '../knowledge/wordVectors.js';

/**
 * Retrieval quality on a labelled query set (tests/fixtures/retrieval-dev.yaml): hit@3 and MRR@10
 * at passage level (a passage counts when its note is one of the expected notes) for hybrid,
 * lexical-only and dense-only search, plus how often the offline answerer says "covered" for
 * in-scope and out-of-scope questions.
 *
 *   node dist/src/bench/retrievalEval.js [--queries file] [--knowledge dir] [--data-dir dir] [--cache-dir dir] [--verbose]
 */

export const retrievalQuerySetSchema = z.object({
  queries: z
    .array(
      z.object({
        q: z.string().trim().min(1),
        notes: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
  /** Questions the knowledge base does not answer: the answerer must say so. */
  outOfScope: z.array(z.string().trim().min(1)).default([]),
});
export type RetrievalQuerySet = z.infer<typeof retrievalQuerySetSchema>;

export const EVAL_MODES = ['hybrid', 'lexical', 'dense'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

export interface ModeScore {
  mode: EvalMode;
  hitAt3: number;
  mrr: number;
  misses: { q: string; expected: string[]; got: string[] }[];
}

export interface RetrievalReport {
  queries: number;
  modes: ModeScore[];
  /** Share of in-scope questions the offline answerer treats as covered. */
  coveredInScope: number;
  /** Share of out-of-scope questions it correctly refuses. */
  refusedOutOfScope: number;
  outOfScopeAnswered: string[];
  /** Note ids the query set names that the knowledge base does not have. */
  unknownNotes: string[];
}

export function loadRetrievalQueries(path: string): RetrievalQuerySet {
  return retrievalQuerySetSchema.parse(parseYaml(readFileSync(path, 'utf8')));
}

export async function evaluateRetrieval(retriever: HybridRetriever, set: RetrievalQuerySet, knowledge: KnowledgeBase): Promise<RetrievalReport> {
  const noteIds = new Set(knowledge.notes.map((note) => note.id));
  const unknownNotes = [...new Set(set.queries.flatMap((query) => query.notes).filter((id) => !noteIds.has(id)))];
  const modes: ModeScore[] = [];
  for (const mode of EVAL_MODES) {
    let hits = 0;
    let reciprocal = 0;
    const misses: ModeScore['misses'] = [];
    for (const query of set.queries) {
      const options: SearchOptions = { k: 10, mode };
      const passages = await retriever.search(query.q, options);
      const rank = passages.findIndex((passage) => query.notes.includes(passage.noteId));
      if (rank >= 0 && rank < 3) hits++;
      else misses.push({ q: query.q, expected: query.notes, got: passages.slice(0, 3).map((passage) => passage.id) });
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    modes.push({ mode, hitAt3: hits / set.queries.length, mrr: reciprocal / set.queries.length, misses });
  }
  const answerer = new OfflineAnswerer(retriever);
  let covered = 0;
  for (const query of set.queries) if ((await answerer.answer(query.q)).covered) covered++;
  const outOfScopeAnswered: string[] = [];
  for (const q of set.outOfScope) if ((await answerer.answer(q)).covered) outOfScopeAnswered.push(q);
  return {
    queries: set.queries.length,
    modes,
    coveredInScope: covered / set.queries.length,
    refusedOutOfScope: set.outOfScope.length > 0 ? 1 - outOfScopeAnswered.length / set.outOfScope.length : 1,
    outOfScopeAnswered,
    unknownNotes,
  };
}

/** The repository root (where package.json is), from either src/ or dist/src/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export interface RunEvalOptions {
  queriesPath?: string;
  knowledgeDir?: string;
  dataDir?: string;
  cacheDir?: string;
  tuning?: Partial<RetrieverTuning>;
  sif?: SifOptions;
}

/** Loads knowledge, the local embedder and the retriever, then evaluates. */
export async function runRetrievalEval(options: RunEvalOptions = {}): Promise<RetrievalReport> {
  const root = repoRoot();
  const dataDir = resolve(options.dataDir ?? join(root, 'data', 'eval'));
  const { knowledge } = loadKnowledge(resolve(options.knowledgeDir ?? join(root, 'knowledge')));
  // The app's default cache folder, so the 40 MB word-vector cache is not built twice.
  const vectors = await openWordVectors({ cacheDir: resolve(options.cacheDir ?? join(root, 'data', 'cache')) });
  const embedder = new SifEmbedder(vectors, options.sif);
  const retriever = await openRetriever({ knowledge, dataDir, embedder, words: vectors, ...(options.tuning ? { tuning: options.tuning } : {}) });
  const set = loadRetrievalQueries(options.queriesPath ?? join(root, 'tests', 'fixtures', 'retrieval-dev.yaml'));
  return evaluateRetrieval(retriever, set, knowledge);
}

export function formatReport(report: RetrievalReport, verbose = false): string {
  const lines = [`retrieval eval: ${report.queries} queries`, 'mode     hit@3   MRR@10'];
  for (const mode of report.modes) lines.push(`${mode.mode.padEnd(8)} ${mode.hitAt3.toFixed(3)}   ${mode.mrr.toFixed(3)}`);
  lines.push(`answerer: covered ${(report.coveredInScope * 100).toFixed(1)}% of in-scope, refused ${(report.refusedOutOfScope * 100).toFixed(1)}% of out-of-scope`);
  if (report.unknownNotes.length > 0) lines.push(`unknown note ids in the query set: ${report.unknownNotes.join(', ')}`);
  if (verbose) {
    for (const mode of report.modes) {
      for (const miss of mode.misses) lines.push(`  miss [${mode.mode}] "${miss.q}" expected ${miss.expected.join('|')} got ${miss.got.join(', ')}`);
    }
    for (const q of report.outOfScopeAnswered) lines.push(`  answered out-of-scope: "${q}"`);
  }
  return lines.join('\n');
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const queriesPath = argument('--queries');
  const knowledgeDir = argument('--knowledge');
  const dataDir = argument('--data-dir');
  const cacheDir = argument('--cache-dir');
  runRetrievalEval({ ...(queriesPath ? { queriesPath } : {}), ...(knowledgeDir ? { knowledgeDir } : {}), ...(dataDir ? { dataDir } : {}), ...(cacheDir ? { cacheDir } : {}) })
    .then((report) => {
      process.stdout.write(`${formatReport(report, process.argv.includes('--verbose'))}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`retrieval eval failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
