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

/** Each prompt file, its required placeholders, and the one that carries untrusted user text. */
export const PROMPTS = {
  grade: { placeholders: ['question', 'rubric', 'answer', 'nonce'], data: 'answer' },
  answer: { placeholders: ['question', 'passages', 'nonce'], data: 'question' },
  'follow-up': { placeholders: ['question', 'missed', 'answer', 'nonce'], data: 'answer' },
  clarify: { placeholders: ['question', 'phase', 'phasePrompt', 'notes', 'message', 'nonce'], data: 'message' },
} as const;

export const PROMPT_PLACEHOLDERS = Object.fromEntries(Object.entries(PROMPTS).map(([name, spec]) => [name, spec.placeholders])) as {
  [K in PromptName]: (typeof PROMPTS)[K]['placeholders'];
};

export type PromptName = keyof typeof PROMPTS;

/** Parses and validates a prompt's text; throws naming the problem. */
export function parsePrompt(name: PromptName, text: string): PromptTemplate {
  const parts = text.split(SEPARATOR);
  if (parts.length !== 2) throw new Error(`prompts/${name}.md: expected exactly one "---- user ----" line`);
  const [system = '', user = ''] = parts.map((part) => part.trim());
  if (!system || !user) throw new Error(`prompts/${name}.md: system and user parts must both be non-empty`);
  const missing = PROMPTS[name].placeholders.filter((key) => !text.includes(`{{${key}}}`));
  if (missing.length > 0) throw new Error(`prompts/${name}.md: missing placeholders ${missing.map((key) => `{{${key}}}`).join(', ')}`);
  // Untrusted text sits in the user part only, between the nonce markers.
  const data = PROMPTS[name].data;
  if (!user.includes(`{{${data}}}`) || system.includes(`{{${data}}}`)) throw new Error(`prompts/${name}.md: {{${data}}} must appear in the user part only`);
  return { name, system, user };
}

export function loadPrompt(name: PromptName, dir: string = promptsDir()): PromptTemplate {
  return parsePrompt(name, readFileSync(join(dir, `${name}.md`), 'utf8'));
}

/** Single-pass substitution: values are never re-expanded, so an answer containing `{{rubric}}` stays text. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? (values[key] as string) : whole));
}
