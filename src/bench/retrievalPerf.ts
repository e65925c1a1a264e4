import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OfflineAnswerer } from '../knowledge/answerer.js';
import { loadKnowledge } from '../knowledge/load.js';
import { openRetriever } from '../knowledge/retriever.js';
import { SifEmbedder } from '../knowledge/sifEmbedder.js';
import { openWordVectors } from '../knowledge/wordVectors.js';
import { loadRetrievalQueries, repoRoot } from './retrievalEval.js';

/**
 * Retrieval performance: cold start of a fresh process (knowledge + word vectors + index from disk),
 * index build time, warm answer latency (p50/p95/p99 over the dev queries) and resident memory.
 *
 *   node dist/src/bench/retrievalPerf.js [--data-dir dir] [--rounds n]
 */

export interface PerfReport {
  /** Fresh process, everything on disk: from process start to the first answer. */
  coldStartMs: number;
  /** Wall time of that whole child process, including Node's own start. */
  coldProcessMs: number;
  coldRssMb: number;
  indexBuildMs: number;
  indexOrigin: string;
  answers: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  warmRssMb: number;
  heapUsedMb: number;
}

interface ColdResult {
  readyMs: number;
  rssMb: number;
  origin: string;
  buildMs: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function openAll(dataDir: string, cacheDir: string) {
  const root = repoRoot();
  const { knowledge } = loadKnowledge(join(root, 'knowledge'));
  const vectors = await openWordVectors({ cacheDir });
  const retriever = await openRetriever({ knowledge, dataDir, embedder: new SifEmbedder(vectors), words: vectors });
  return { retriever, answerer: new OfflineAnswerer(retriever) };
}

/** What the child process does: open everything, answer once, report. */
async function coldChild(dataDir: string, cacheDir: string): Promise<void> {
  const { retriever, answerer } = await openAll(dataDir, cacheDir);
  await answerer.answer('when is ROC AUC misleading');
  const result: ColdResult = {
    readyMs: Math.round(process.uptime() * 1000),
    rssMb: mb(process.memoryUsage().rss),
    origin: retriever.index?.origin ?? 'none',
    buildMs: retriever.index?.meta.buildMs ?? 0,
  };
  process.stdout.write(JSON.stringify(result));
}

function runChild(dataDir: string, cacheDir: string): ColdResult & { processMs: number } {
  const started = performance.now();
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', dataDir, cacheDir], { encoding: 'utf8' });
  return { ...(JSON.parse(output) as ColdResult), processMs: Math.round(performance.now() - started) };
}

export async function measureRetrievalPerformance(options: { cacheDir?: string; rounds?: number } = {}): Promise<PerfReport> {
  const root = repoRoot();
  const cacheDir = options.cacheDir ?? join(root, 'data', 'cache');
  const dataDir = mkdtempSync(join(tmpdir(), 'mle-coach-perf-'));
  try {
    // First child builds the index (and the word-vector cache if missing); the next ones load it.
    const build = runChild(dataDir, cacheDir);
    const colds = [runChild(dataDir, cacheDir), runChild(dataDir, cacheDir), runChild(dataDir, cacheDir)];
    const cold = colds.sort((a, b) => a.processMs - b.processMs)[1] as ColdResult & { processMs: number };

    const { answerer } = await openAll(dataDir, cacheDir);
    const set = loadRetrievalQueries(join(root, 'tests', 'fixtures', 'retrieval-dev.yaml'));
    const questions = [...set.queries.map((query) => query.q), ...set.outOfScope];
    for (const question of questions) await answerer.answer(question);
    const timings: number[] = [];
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      for (const question of questions) {
        const started = performance.now();
        await answerer.answer(question);
        timings.push(performance.now() - started);
      }
    }
    timings.sort((a, b) => a - b);
    const at = (q: number) => Math.round((timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0) * 100) / 100;
    const memory = process.memoryUsage();
    return {
      coldStartMs: cold.readyMs,
      coldProcessMs: cold.processMs,
      coldRssMb: cold.rssMb,
      indexBuildMs: build.buildMs,
      indexOrigin: `${build.origin} then ${cold.origin}`,
      answers: timings.length,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: at(1),
      warmRssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const childAt = process.argv.indexOf('--cold-child');
  const run =
    childAt >= 0
      ? coldChild(process.argv[childAt + 1] ?? '', process.argv[childAt + 2] ?? '')
      : measureRetrievalPerformance({
          ...(argument('--cache-dir') ? { cacheDir: resolve(argument('--cache-dir') as string) } : {}),
          rounds: Number(argument('--rounds') ?? 3),
        }).then((report) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`));
  run.catch((error: unknown) => {
    process.stderr.write(`retrieval perf failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
