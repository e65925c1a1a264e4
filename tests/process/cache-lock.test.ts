import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withBuildLock } from '../../src/shared/buildLock.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mle-lock-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A process id that is certainly dead: a child that already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the build lock', () => {
  it('GIVEN a lock left by a process that is gone WHEN another start needs the cache THEN it builds at once and says why', async () => {
    const dir = tempDir();
    const lock = join(dir, 'thing.bin.lock');
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: Date.now() }));
    const lines: string[] = [];
    const started = Date.now();
    const built = await withBuildLock(lock, () => existsSync(join(dir, 'thing.bin')), () => writeFileSync(join(dir, 'thing.bin'), 'x'), { waitMs: 30_000, notify: (line) => lines.push(line), label: 'thing cache' });
    expect(built).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.join('\n')).toMatch(/interrupted .*is gone/);
    expect(existsSync(lock)).toBe(false);
  });

  it('GIVEN a half-written lock file (killed between create and write) THEN it is taken over', async () => {
    const dir = tempDir();
    const lock = join(dir, 'thing.bin.lock');
    writeFileSync(lock, '');
    const built = await withBuildLock(lock, () => false, () => {}, { waitMs: 30_000, notify: () => {}, label: 'thing cache' });
    expect(built).toBe(true);
  });

  it('GIVEN a live owner WHEN waiting THEN a progress line names it, and its finished build is used instead of building again', async () => {
    const dir = tempDir();
    const lock = join(dir, 'thing.bin.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: Date.now() }));
    const lines: string[] = [];
    setTimeout(() => {
      writeFileSync(join(dir, 'thing.bin'), 'x');
      rmSync(lock);
    }, 600);
    const built = await withBuildLock(lock, () => existsSync(join(dir, 'thing.bin')), () => {
      throw new Error('must not build twice');
    }, { waitMs: 30_000, notify: (line) => lines.push(line), label: 'thing cache' });
    expect(built).toBe(false);
    expect(lines[0]).toMatch(new RegExp(`waiting for process ${process.ppid} to finish building the thing cache`));
  });

  it('GIVEN the first start killed with SIGKILL while it builds the word-vector cache WHEN the app starts again THEN it is ready within 60 s', async () => {
    const cache = tempDir();
    const env = { ...process.env, MLE_COACH_CACHE_DIR: cache, MLE_COACH_DATA_DIR: tempDir(), OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LOG_LEVEL: 'warn' };
    const first = spawn(process.execPath, ['bin/mle-coach.js', 'kb', 'build'], { env, stdio: 'ignore' });
    const lockSeen = await new Promise<boolean>((resolve) => {
      const timer = setInterval(() => {
        if (readdirSync(cache).some((file) => file.endsWith('.lock'))) {
          clearInterval(timer);
          resolve(true);
        }
      }, 20);
      first.once('exit', () => {
        clearInterval(timer);
        resolve(false);
      });
    });
    expect(lockSeen).toBe(true);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(readdirSync(cache).some((file) => file.endsWith('.lock'))).toBe(true);
    const started = Date.now();
    const second = spawnSync(process.execPath, ['bin/mle-coach.js', 'kb', 'build'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(second.stderr).toMatch(/interrupted/);
    expect(readdirSync(cache).some((file) => file.endsWith('.lock'))).toBe(false);
  }, 120_000);
});
