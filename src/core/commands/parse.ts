import { COMMANDS } from './list.js';

export type ParsedInput =
  | { kind: 'command'; name: string; args: string; flags: Record<string, string>; positional: string[] }
  | { kind: 'unknown-command'; word: string; suggestion?: string }
  | { kind: 'text'; text: string };

const COMMAND_NAMES = new Set(COMMANDS.map((command) => command.name));
/** Words people type for the same thing. */
const ALIASES: Record<string, string> = {
  '?': 'help',
  commands: 'help',
  start: 'interview',
  mock: 'interview',
  stop: 'end',
  finish: 'end',
  next: 'skip',
  pass: 'skip',
  again: 'repeat',
  stats: 'progress',
  me: 'progress',
  leaders: 'leaderboard',
  board: 'leaderboard',
  config: 'settings',
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const saved = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length] ?? 0;
}

export function suggestCommand(word: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of COMMAND_NAMES) {
    const distance = editDistance(word, name);
    if (distance <= (name.length > 5 ? 2 : 1) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function splitArgs(rest: string): { flags: Record<string, string>; positional: string[] } {
  const tokens = rest.split(/\s+/).filter(Boolean);
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    const flag = /^--?([a-z][a-z-]*)(?:=(.*))?$/i.exec(token);
    if (flag) {
      const name = (flag[1] ?? '').toLowerCase();
      if (flag[2] !== undefined) flags[name] = flag[2];
      else if (index + 1 < tokens.length && !(tokens[index + 1] ?? '').startsWith('-')) flags[name] = tokens[++index] ?? '';
      else flags[name] = 'true';
    } else {
      positional.push(token);
    }
  }
  return { flags, positional };
}

/**
 * Reads the one text grammar shared by every adapter. A leading `/` or `!` marks a command
 * explicitly; otherwise only a known first word is a command, and everything else is free text.
 */
export function parseInput(raw: string, options: { answering?: boolean } = {}): ParsedInput {
  const text = raw.trim();
  const explicit = /^[/!]/.test(text);
  const body = explicit ? text.slice(1).trim() : text;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return { kind: 'text', text };
  const word = (match[1] ?? '').toLowerCase();
  const rest = (match[2] ?? '').trim();
  const name = COMMAND_NAMES.has(word) ? word : ALIASES[word];
  // "forget me" is a command; "forget about it" is not.
  if (name === 'forget' && rest.toLowerCase() !== 'me') return explicit ? { kind: 'unknown-command', word, suggestion: 'forget me' } : { kind: 'text', text };
  if (options.answering && !explicit) {
    // While an answer is awaited, "skip connections help gradients" is an answer, not `skip`.
    if (name && (rest === '' || name === 'ask' || name === 'forget')) return { kind: 'command', name, args: rest, ...splitArgs(rest) };
    return { kind: 'text', text };
  }
  // Aliases and bare command words only count as commands when short: "start with the basics of PCA" is a question.
  const isShort = rest.split(/\s+/).filter(Boolean).length <= 6;
  if (name && (explicit || COMMAND_NAMES.has(word) || rest === '') && (explicit || isShort || name === 'ask' || name === 'settings' || name === 'quiz')) {
    return { kind: 'command', name, args: rest, ...splitArgs(rest) };
  }
  if (explicit) {
    const suggestion = suggestCommand(word);
    return suggestion ? { kind: 'unknown-command', word, suggestion } : { kind: 'unknown-command', word };
  }
  // A lone near-miss like "intervew metrics" is most likely a typo, not a question.
  if (rest.split(/\s+/).filter(Boolean).length <= 2 && word.length >= 4) {
    const suggestion = suggestCommand(word);
    if (suggestion && suggestion !== word) return { kind: 'unknown-command', word, suggestion };
  }
  return { kind: 'text', text };
}
