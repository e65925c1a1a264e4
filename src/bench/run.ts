import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bootstrap } from '../app/bootstrap.js';
import { configSchema } from '../config/schema.js';
import { silentLogger } from '../core/ports/logger.js';
import { packageRoot } from '../shared/paths.js';

/** Speed figures live here, never in timed unit tests. `npm run bench [-- --json]`. */
interface Row {
  metric: string;
  value: number;
  unit: string;
  target: string;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const dataDir = mkdtempSync(join(tmpdir(), 'mle-coach-bench-'));
  const cacheDir = resolve(process.env.MLE_COACH_CACHE_DIR ?? join(packageRoot, 'data', 'cache'));
  const env = { ...process.env, MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: cacheDir, MLE_COACH_LOG_LEVEL: 'silent', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' };
  const config = configSchema.parse({ MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: cacheDir, MLE_COACH_LOG_LEVEL: 'silent' });
  const rows: Row[] = [];
  const bin = join(packageRoot, 'bin', 'mle-coach.js');
  try {
    // Make sure the word-vector cache and index exist, then time cold commands.
    execFileSync(process.execPath, [bin, 'kb', 'build'], { env, stdio: 'ignore' });
    const cold = (args: string[]) => {
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, [bin, ...args], { env, stdio: 'ignore', input: '' });
      return ms(started);
    };
    const askCold = [0, 1, 2].map(() => cold(['ask', 'when is ROC AUC misleading', '--json']));
    rows.push({ metric: 'cold start: ask (median of 3)', value: percentile(askCold, 50), unit: 'ms', target: '<= 1500' });
    const gradeCold = [0, 1, 2].map(() => cold(['grade', '--json']));
    rows.push({ metric: 'cold start: grade, empty input', value: percentile(gradeCold, 50), unit: 'ms', target: '<= 1500' });
    const kbCold = [0, 1, 2].map(() => cold(['kb', 'check']));
    rows.push({ metric: 'cold start: kb check', value: percentile(kbCold, 50), unit: 'ms', target: '<= 1500' });

    const buildStarted = process.hrtime.bigint();
    rmSync(join(dataDir, 'index'), { recursive: true, force: true });
    const app = await bootstrap(config, { logger: silentLogger });
    rows.push({ metric: 'startup incl. index rebuild (bootstrap)', value: ms(buildStarted), unit: 'ms', target: '-' });
    const warmStarted = process.hrtime.bigint();
    const again = await bootstrap(config, { logger: silentLogger });
    rows.push({ metric: 'startup with index on disk (bootstrap)', value: ms(warmStarted), unit: 'ms', target: '-' });
    await again.close();

    const dev = parseYaml(readFileSync(join(packageRoot, 'tests', 'fixtures', 'retrieval-dev.yaml'), 'utf8')) as { queries: { q: string }[] };
    const queries = dev.queries.map((item) => item.q);
    for (const query of queries.slice(0, 10)) await app.answerer.answer(query);
    const askTimes: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (const query of queries) {
        const started = process.hrtime.bigint();
        await app.answerer.answer(query, { k: 4 });
        askTimes.push(ms(started));
      }
    }
    rows.push({ metric: `ask latency p50 (warm, ${askTimes.length} queries)`, value: percentile(askTimes, 50), unit: 'ms', target: '-' });
    rows.push({ metric: 'ask latency p99 (warm)', value: percentile(askTimes, 99), unit: 'ms', target: '<= 50' });

    const questions = app.knowledge.questions;
    const answers: { question: (typeof questions)[number]; text: string }[] = [];
    for (let index = 0; answers.length < 2000; index += 1) {
      const question = questions[index % questions.length];
      if (!question) break;
      const variants = [question.rubric.modelAnswer.split(/(?<=\.)\s+/).slice(0, 2).join(' '), question.rubric.keyPoints[0]?.text ?? '', "I don't know", question.rubric.misconceptions[0]?.text ?? 'it depends'];
      answers.push({ question, text: variants[index % variants.length] ?? '' });
    }
    const gradeStarted = process.hrtime.bigint();
    for (const item of answers) await app.grader.grade({ question: item.question.question, answer: item.text, rubric: item.question.rubric });
    const gradeMs = ms(gradeStarted);
    rows.push({ metric: 'grading throughput (2,000 short answers)', value: (answers.length / gradeMs) * 1000, unit: 'answers/s', target: '>= 300' });

    const turnTimes: number[] = [];
    for (let user = 0; user < 20; user += 1) {
      const message = { platform: 'test' as const, userId: `test:bench-${user}`, conversation: { channelId: `dm-${user}`, isDirect: true } };
      await app.engine.handle({ ...message, text: 'interview --questions 5' });
      for (let turn = 0; turn < 5; turn += 1) {
        const session = app.store.activeSession(message.userId);
        const question = session ? app.bank.question(session.questionIds[session.index] ?? '') : undefined;
        if (!session || !question) break;
        const started = process.hrtime.bigint();
        await app.engine.handle({ ...message, text: question.rubric.modelAnswer });
        turnTimes.push(ms(started));
        if (app.store.activeSession(message.userId)?.status === 'awaiting-follow-up') await app.engine.handle({ ...message, text: 'next' });
      }
    }
    rows.push({ metric: `engine turn latency p50 (${turnTimes.length} graded turns)`, value: percentile(turnTimes, 50), unit: 'ms', target: '-' });
    rows.push({ metric: 'engine turn latency p99', value: percentile(turnTimes, 99), unit: 'ms', target: '<= 100' });
    await app.close();
    rows.push({ metric: 'peak RSS (this process)', value: process.resourceUsage().maxRSS / 1024, unit: 'MB', target: '<= 300' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows.map((row) => ({ ...row, value: Number(row.value.toFixed(2)) })))}\n`);
    return;
  }
  process.stdout.write(`| metric | value | target |\n|---|---|---|\n${rows.map((row) => `| ${row.metric} | ${row.value.toFixed(row.unit === 'ms' ? 1 : 0)} ${row.unit} | ${row.target} |`).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
