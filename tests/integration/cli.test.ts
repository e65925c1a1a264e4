import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_CACHE_DIR, cleanup, tempDir } from '../support/app.js';

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir();
});
afterAll(() => cleanup(dataDir));

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, ['bin/mle-coach.js', ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...options.env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mle-coach ask', () => {
  it('GIVEN the shipped knowledge WHEN asked when ROC AUC is misleading THEN the answer cites the roc-auc note', () => {
    const { code, stdout } = cli(['ask', 'when is ROC AUC misleading', '--json']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as { query: string; answer: string; sources: { id: string; title: string; path: string; text: string; score: number }[] };
    expect(answer.query).toBe('when is ROC AUC misleading');
    expect(answer.sources[0]?.id).toMatch(/^roc-auc#/);
    expect(answer.sources[0]?.path).toBe('notes/evaluation-metrics/roc-auc.md');
    expect(answer.answer).toContain('[roc-auc]');
  });

  it('GIVEN a JSON Lines file of questions WHEN asked with --input THEN one JSON answer per line comes back, k sources each', () => {
    const file = join(dataDir, 'queries.jsonl');
    writeFileSync(file, `${JSON.stringify({ q: 'what is data drift' })}\n${JSON.stringify({ q: 'how does bagging reduce variance' })}\n`);
    const { code, stdout } = cli(['ask', '--input', file, '--json', '-k', '3']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { query: string; sources: unknown[] });
    expect(lines.map((line) => line.query)).toEqual(['what is data drift', 'how does bagging reduce variance']);
    for (const line of lines) expect(line.sources.length).toBeLessThanOrEqual(3);
  });
});

describe('mle-coach grade', () => {
  const lines = [
    { id: 'bank', questionId: 'roc-auc-imbalance', answer: 'AUC is the chance a random positive is ranked above a random negative. With 0.5% fraud the false positive rate hardly moves, so use the precision-recall curve and average precision.' },
    { id: 'inline', question: 'What is precision?', rubric: { keyPoints: [{ text: 'Precision is TP / (TP + FP), the share of predicted positives that are correct.' }, { text: 'High precision means few false alarms.' }], modelAnswer: 'Precision is TP/(TP+FP): of everything flagged, how much was right; high precision means few false alarms.' }, answer: 'Precision = TP/(TP+FP), i.e. few false alarms.' },
    { id: 'reference', question: 'What does dropout do?', reference: 'Dropout randomly zeroes activations during training, which regularises the network and reduces overfitting. At inference it is turned off.', answer: 'I do not know.' },
  ];

  it('GIVEN JSON Lines on stdin WHEN graded THEN one result per line comes back in order with the contract fields', () => {
    const { code, stdout } = cli(['grade', '--json'], { input: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n` });
    expect(code).toBe(0);
    const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results.map((result) => result.id)).toEqual(['bank', 'inline', 'reference']);
    for (const result of results) {
      expect(result).toMatchObject({ grader: 'offline' });
      expect(typeof result.score).toBe('number');
      expect(typeof result.verdict).toBe('string');
      expect(Array.isArray(result.criteria)).toBe(true);
      expect(Array.isArray(result.misconceptions)).toBe(true);
      expect(typeof result.feedback).toBe('string');
      for (const criterion of result.criteria as Record<string, unknown>[]) expect(Object.keys(criterion).sort()).toEqual(['evidence', 'met', 'point', 'weight']);
    }
    expect(results[0]?.score as number).toBeGreaterThan(40);
    expect(results[2]?.score as number).toBeLessThanOrEqual(5);
  });

  it('GIVEN a file with a bad line WHEN graded THEN the bad line yields {id, error}, the others are graded, and the exit code is 2', () => {
    const file = join(dataDir, 'answers.jsonl');
    writeFileSync(file, [JSON.stringify(lines[0]), '{not json', JSON.stringify({ id: 'nope', questionId: 'no-such-question', answer: 'x' }), JSON.stringify({ id: 'two', answer: 'x', questionId: 'roc-auc-imbalance', reference: 'y' }), JSON.stringify(lines[1])].join('\n'));
    const { code, stdout } = cli(['grade', '--input', file, '--json']);
    expect(code).toBe(2);
    const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; error?: string; score?: number });
    expect(results).toHaveLength(5);
    expect(results[0]?.score).toBeTypeOf('number');
    expect(results[1]?.error).toContain('not valid JSON');
    expect(results[2]).toMatchObject({ id: 'nope' });
    expect(results[2]?.error).toContain('no-such-question');
    expect(results[3]?.error).toContain('exactly one of');
    expect(results[4]?.id).toBe('inline');
  });
});

describe('mle-coach kb', () => {
  it('GIVEN the shipped knowledge WHEN checked THEN it is valid and stats print counts per area and level', () => {
    expect(cli(['kb', 'check']).code).toBe(0);
    const stats = cli(['kb', 'stats']);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('evaluation-metrics');
    expect(stats.stdout).toMatch(/algorithms\s+\d+/);
  });

  it('GIVEN a planted broken note and question file WHEN checked THEN it fails naming each file, field and reason', () => {
    const copy = join(dataDir, 'knowledge-copy');
    cpSync('knowledge', copy, { recursive: true });
    writeFileSync(join(copy, 'notes', 'evaluation-metrics', 'broken.md'), '---\nid: Broken Note\ntitle: x\narea: evaluation-metrics\nlevel: expert\n---\n## A\ntext\n');
    writeFileSync(join(copy, 'questions', 'broken.yaml'), 'questions:\n  - id: broken-question\n    area: evaluation-metrics\n    level: easy\n    question: What?\n    rubric:\n      keyPoints:\n        - text: A point\n          weight: -1\n          notes: [does-not-exist]\n      modelAnswer: x\n');
    const { code, stderr } = cli(['kb', 'check'], { env: { MLE_COACH_KNOWLEDGE_DIR: copy } });
    expect(code).toBe(1);
    expect(stderr).toContain('notes/evaluation-metrics/broken.md: front-matter.id');
    expect(stderr).toContain('notes/evaluation-metrics/broken.md: front-matter.level');
    expect(stderr).toContain('questions/broken.yaml: questions[0](broken-question).rubric.keyPoints[0].weight');
  });

  it('GIVEN a reference to a missing note WHEN checked THEN the problem names the question and the note', () => {
    const copy = join(dataDir, 'knowledge-copy-2');
    cpSync('knowledge', copy, { recursive: true });
    writeFileSync(join(copy, 'questions', 'dangling.yaml'), 'questions:\n  - id: dangling-question\n    area: mlops\n    level: easy\n    question: What is a feature store?\n    rubric:\n      keyPoints:\n        - text: A point\n          notes: [does-not-exist]\n      modelAnswer: x\n');
    const { code, stderr } = cli(['kb', 'check'], { env: { MLE_COACH_KNOWLEDGE_DIR: copy } });
    expect(code).toBe(1);
    expect(stderr).toContain('questions/dangling.yaml: dangling-question.rubric.keyPoints[0].notes: refers to note "does-not-exist"');
  });
});

describe('configuration', () => {
  it('GIVEN a bad setting WHEN any command starts THEN it fails listing the key and never echoes secrets', () => {
    const { code, stderr } = cli(['kb', 'check'], { env: { MLE_COACH_SESSION_TTL_MINUTES: 'soon', OPENAI_BASE_URL: 'ftp://x', OPENAI_API_KEY: 'sk-supersecretvalue1234567890' } });
    expect(code).toBe(1);
    expect(stderr).toContain('MLE_COACH_SESSION_TTL_MINUTES');
    expect(stderr).toContain('OPENAI_BASE_URL');
    expect(stderr).not.toContain('supersecret');
  });

  it('GIVEN a default timezone the runtime does not know WHEN the bot starts THEN start-up stops naming the variable and the value', () => {
    const { code, stderr } = cli(['kb', 'stats'], { env: { MLE_COACH_DEFAULT_TIMEZONE: 'Mars/Olympus' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/MLE_COACH_DEFAULT_TIMEZONE: "Mars\/Olympus" is not an IANA timezone/);
  });

  it('GIVEN a yes/no setting spelled neither way WHEN the bot starts THEN it is refused instead of read as no', () => {
    const { code, stderr } = cli(['kb', 'stats'], { env: { MLE_COACH_ALLOW_BROKEN_KNOWLEDGE: 'sure' } });
    expect(code).toBe(1);
    expect(stderr).toContain('MLE_COACH_ALLOW_BROKEN_KNOWLEDGE');
  });
});
