import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = /^(discord\.js|@discordjs\/|@slack\/|hnswlib-node|better-sqlite3|langchain|@langchain\/)/;

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] ?? match[2] ?? '');
  return found;
}

/** Every module reachable from `entry` through static and dynamic imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [resolve(entry)];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const specifiers = importsOf(file);
    seen.set(file, specifiers);
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('the engine boundary', () => {
  it('GIVEN the core engine WHEN following every import it makes THEN no platform, storage, vector-index or LLM package is reached', () => {
    const offenders: string[] = [];
    for (const entry of tsFiles('src/core')) {
      for (const [file, specifiers] of reachable(entry)) {
        for (const specifier of specifiers) if (FORBIDDEN.test(specifier)) offenders.push(`${file} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('GIVEN the core WHEN listing what it imports from the project THEN adapters, storage and llm modules are never among them', () => {
    const offenders: string[] = [];
    for (const entry of tsFiles('src/core')) {
      for (const [file] of reachable(entry)) if (/src\/(adapters|storage|llm)\//.test(file)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
