import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { SHARED_CACHE_DIR, cleanup, tempDir } from '../support/app.js';
import { FakeDiscord } from '../fakes/discord/server.js';
import { FakeSlack } from '../fakes/slack/fakeSlack.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir();
});
afterAll(() => cleanup(dataDir));

describe('mle-coach serve', () => {
  it('GIVEN serve WHEN it runs THEN /healthz and /readyz answer, logs are JSON lines, and SIGTERM closes it cleanly within 10 s', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/mle-coach.js', 'serve'], {
      env: { ...process.env, MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR, HEALTH_PORT: String(port), OPENAI_API_KEY: '', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const health = await waitFor(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        return response.ok ? response : undefined;
      }, 60_000);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await waitFor(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        return response.status === 200 ? ((await response.json()) as { status: string; checks: { name: string; ready: boolean }[] }) : undefined;
      }, 30_000);
      expect(ready.status).toBe('ready');
      expect(ready.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['database', 'index']));
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(code).toBe(0);
    }
    const lines = stderr.split('\n').filter((line) => line.startsWith('{'));
    const messages = lines.map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages).toContain('mle-coach serving');
    expect(messages).toContain('shutting down');
  });
});

describe('mle-coach serve with broken knowledge', () => {
  async function readiness(env: Record<string, string>): Promise<{ status: number; checks: { name: string; ready: boolean }[]; stderr: string }> {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/mle-coach.js', 'serve'], {
      env: { ...process.env, MLE_COACH_DATA_DIR: dataDir, MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR, HEALTH_PORT: String(port), OPENAI_API_KEY: '', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      await waitFor(async () => (stderr.includes('mle-coach serving') ? true : undefined), 60_000);
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await response.json()) as { checks: { name: string; ready: boolean }[] };
      return { status: response.status, checks: body.checks, stderr };
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  it('GIVEN a YAML syntax error in one question file WHEN serve starts THEN /readyz stays 503 on "knowledge" and the log names the file; allowed explicitly THEN it is ready', async () => {
    const copy = tempDir();
    try {
      cpSync('knowledge', copy, { recursive: true });
      writeFileSync(join(copy, 'questions', 'evaluation-metrics.yaml'), readFileSync(join(copy, 'questions', 'evaluation-metrics.yaml'), 'utf8').replace('questions:', 'questions:\n  - id: [unclosed'));
      const broken = await readiness({ MLE_COACH_KNOWLEDGE_DIR: copy });
      expect(broken.status).toBe(503);
      expect(broken.checks.find((check) => check.name === 'knowledge')?.ready).toBe(false);
      expect(broken.stderr).toContain('questions/evaluation-metrics.yaml');
      expect(broken.stderr).toMatch(/readyz stays 503/);
      const allowed = await readiness({ MLE_COACH_KNOWLEDGE_DIR: copy, MLE_COACH_ALLOW_BROKEN_KNOWLEDGE: 'true' });
      expect(allowed.status).toBe(200);
    } finally {
      cleanup(copy);
    }
  }, 150_000);
});

describe('mle-coach serve with Slack and Discord configured', () => {
  it('GIVEN Slack (HTTP mode) and Discord tokens WHEN serve starts THEN both adapters connect, /readyz reports them, and SIGTERM stops everything', async () => {
    const slack = await FakeSlack.start();
    const discord = await FakeDiscord.start();
    const [healthPort, slackPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['bin/mle-coach.js', 'start'], {
      env: {
        ...process.env,
        MLE_COACH_DATA_DIR: dataDir,
        MLE_COACH_CACHE_DIR: SHARED_CACHE_DIR,
        HEALTH_PORT: String(healthPort),
        OPENAI_API_KEY: '',
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_APP_TOKEN: '',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(slackPort),
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: '',
        DISCORD_REST_API_URL: discord.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const ready = await waitFor(async () => {
        const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
        return response.status === 200 ? ((await response.json()) as { checks: { name: string; ready: boolean }[] }) : undefined;
      }, 60_000);
      expect(ready.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['slack', 'discord']));
      expect(stderr).not.toContain(discord.token);
      expect(stderr).not.toContain(slack.botToken);
    } finally {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) console.error(stderr.slice(-3000));
      expect(code).toBe(0);
      await discord.stop();
      await slack.close();
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const readme = readFileSync('README.md', 'utf8');

  it('GIVEN the Dockerfile WHEN read THEN it is multi-stage, runs as non-root, keeps data in a volume and checks /healthz', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/MLE_COACH_DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });

  it('GIVEN the README commands WHEN compared with the Dockerfile THEN the image runs the same npm ci and npm start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/CMD \["npm", "start"\]/);
  });
});

describe('the README', () => {
  it('GIVEN the config schema WHEN the README is read THEN every environment variable is documented in its table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = Object.keys(configSchema.shape).filter((key) => !readme.includes(`| \`${key}\``));
    expect(missing).toEqual([]);
  });
});
