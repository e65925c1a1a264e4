import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * The one lock for every cache built on first start (word vectors, and any later NLP or WordNet
 * cache). A lock dies with its owner: a lock file whose process is gone (SIGKILL, Ctrl-C, a
 * crashed container) is taken over at once instead of waiting for it to age.
 */
const lockOwnerSchema = z.object({ pid: z.number().int().positive(), host: z.string(), startedAt: z.number() });
type LockOwner = z.infer<typeof lockOwnerSchema>;

/** A lock from another host cannot be checked for liveness; it is trusted this long. */
const FOREIGN_LOCK_STALE_MS = 10 * 60_000;
const POLL_MS = 200;
const PROGRESS_EVERY_MS = 5_000;

export interface BuildLockOptions {
  /** How long to wait for a live owner before giving up. */
  waitMs: number;
  /** A progress line for the operator (stderr by default). */
  notify: (line: string) => void;
  /** What is being built, for progress lines. */
  label: string;
}

export class BuildLockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(`timed out waiting for ${owner ? `process ${owner.pid} on ${owner.host}` : 'another process'} to finish building ${lockPath.replace(/\.lock$/, '')}`);
    this.name = 'BuildLockTimeoutError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const parsed = lockOwnerSchema.safeParse(JSON.parse(readFileSync(lockPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** True when the recorded owner can no longer be holding the lock. */
function ownerIsGone(owner: LockOwner | undefined, now: number): boolean {
  // An unreadable owner is a lock file cut short by a kill between create and write.
  if (!owner) return true;
  if (owner.host !== hostname()) return now - owner.startedAt > FOREIGN_LOCK_STALE_MS;
  return owner.pid !== process.pid && !isAlive(owner.pid);
}

function tryAcquire(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: Date.now() } satisfies LockOwner));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** Removes a dead owner's lock; a rename first so two waiters cannot both delete a fresh lock. */
function breakLock(lockPath: string): void {
  const claimed = `${lockPath}.${process.pid}.broken`;
  try {
    renameSync(lockPath, claimed);
    unlinkSync(claimed);
  } catch {
    // Someone else broke or released it first; the next attempt tells.
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `build` holding the lock at `lockPath`, unless `isBuilt()` turns true while waiting (another
 * process finished the same build). Returns whether this process built it.
 */
export async function withBuildLock(lockPath: string, isBuilt: () => boolean, build: () => void, options: BuildLockOptions): Promise<boolean> {
  const started = Date.now();
  let lastProgress: number | undefined;
  for (;;) {
    if (isBuilt()) return false;
    if (tryAcquire(lockPath)) {
      try {
        if (isBuilt()) return false;
        build();
        return true;
      } finally {
        try {
          unlinkSync(lockPath);
        } catch {
          // Already removed; nothing to release.
        }
      }
    }
    const now = Date.now();
    const owner = readOwner(lockPath);
    if (ownerIsGone(owner, now)) {
      options.notify(`mle-coach: a previous build of the ${options.label} was interrupted${owner ? ` (process ${owner.pid} is gone)` : ''}; starting it again`);
      breakLock(lockPath);
      continue;
    }
    if (now - started > options.waitMs) throw new BuildLockTimeoutError(lockPath, owner);
    if (lastProgress === undefined || now - lastProgress >= PROGRESS_EVERY_MS) {
      options.notify(`mle-coach: waiting for process ${owner?.pid ?? '?'} to finish building the ${options.label} (${Math.round((now - started) / 1000)} s so far)`);
      lastProgress = now;
    }
    await sleep(POLL_MS);
  }
}
