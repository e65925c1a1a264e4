import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promptsDir } from '../shared/paths.js';

/** A prompt file: a system part and a user part, split by a `---- user ----` line. */
export interface PromptTemplate {
  name: string;
  system: string;
  user: string;
}

const SEPARATOR = /^---- user ----\s*$/m;

export const PROMPT_PLACEHOLDERS = {
  grade: ['question', 'rubric', 'answer', 'nonce'],
  answer: ['question', 'passages', 'nonce'],
} as const;

export type PromptName = keyof typeof PROMPT_PLACEHOLDERS;

/** Parses and validates a prompt's text; throws naming the problem. */
export function parsePrompt(name: PromptName, text: string): PromptTemplate {
  const parts = text.split(SEPARATOR);
  if (parts.length !== 2) throw new Error(`prompts/${name}.md: expected exactly one "---- user ----" line`);
  const [system = '', user = ''] = parts.map((part) => part.trim());
  if (!system || !user) throw new Error(`prompts/${name}.md: system and user parts must both be non-empty`);
  const missing = PROMPT_PLACEHOLDERS[name].filter((key) => !text.includes(`{{${key}}}`));
  if (missing.length > 0) throw new Error(`prompts/${name}.md: missing placeholders ${missing.map((key) => `{{${key}}}`).join(', ')}`);
  return { name, system, user };
}

export function loadPrompt(name: PromptName, dir: string = promptsDir()): PromptTemplate {
  return parsePrompt(name, readFileSync(join(dir, `${name}.md`), 'utf8'));
}

/** Single-pass substitution: values are never re-expanded, so an answer containing `{{rubric}}` stays text. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? (values[key] as string) : whole));
}
