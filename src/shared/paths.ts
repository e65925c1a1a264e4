import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (where package.json, knowledge/ and prompts/ live), from src or dist. */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'knowledge'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
})();

export function knowledgeDir(configured: string | undefined): string {
  return configured ? resolve(configured) : join(packageRoot, 'knowledge');
}

export function promptsDir(): string {
  return join(packageRoot, 'prompts');
}
