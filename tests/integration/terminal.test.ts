import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_CACHE_DIR, cleanup, tempDir } from '../support/app.js';

function runChat(input: string, dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mle-coach.js', 'chat'], {
      env: { ...process.env, MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir();
});
afterAll(() => cleanup(dataDir));

describe('the terminal chat through a child process', () => {
  it('GIVEN piped stdin WHEN a scripted session runs THEN it grades a multi-line answer, prints no ANSI codes and exits cleanly on quit', async () => {
    const script = ['help', 'interview metrics --questions 1', 'Precision is the share of flagged cases that are truly positive.', 'Recall is the share of actual positives we catch.', '', 'next', 'quit', ''].join('\n');
    const { code, stdout } = await runChat(script, dataDir);
    expect(code).toBe(0);
    expect(stdout).toContain('interview');
    expect(stdout).toMatch(/Score: \d{1,3}\/100/);
    expect(stdout).toContain('Interview complete');
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toContain('progress is saved');
  });

  it('GIVEN an interview left open WHEN the chat starts again THEN it resumes at the same question', async () => {
    const first = await runChat(['interview mlops --questions 2', ''].join('\n'), dataDir);
    expect(first.code).toBe(0);
    const asked = /== Question 1\/2[^\n]*\n([^\n]+)/.exec(first.stdout)?.[1];
    expect(asked).toBeTruthy();
    const second = await runChat('quit\n', dataDir);
    expect(second.stdout).toContain('Resuming where you left off');
    expect(second.stdout).toContain(asked!);
  });

  it('GIVEN end of input in the middle of an answer WHEN stdin closes THEN the answer is still graded', async () => {
    const dir = tempDir();
    try {
      const { code, stdout } = await runChat(['interview metrics --questions 1', 'Precision equals TP divided by TP plus FP'].join('\n'), dir);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Score: \d{1,3}\/100/);
    } finally {
      cleanup(dir);
    }
  });
});
