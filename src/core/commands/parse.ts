import { areasForTrack, LEVELS, trackNames } from '../../knowledge/areas.js';
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
  leaders: 'leaderboard',
  board: 'leaderboard',
  config: 'settings',
};

export function editDistance(a: string, b: string): number {
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
      const next = tokens[index + 1] ?? '';
      // A following word is the flag's value unless it is another flag ("-1" is a value).
      if (flag[2] !== undefined) flags[name] = flag[2];
      else if (index + 1 < tokens.length && (!next.startsWith('-') || /^-\d/.test(next))) flags[name] = tokens[++index] ?? '';
      else flags[name] = 'true';
    } else {
      positional.push(token);
    }
  }
  return { flags, positional };
}

const closeToTrack = (word: string) => trackNames().some((name) => editDistance(word, name) <= 2);

/**
 * Whether the words after a command word read as that command's arguments. "interview metrics"
 * is a command; "interview tips for system design" and "skip connections in resnet" are not.
 */
function looksLikeArgs(name: string, rest: string): boolean {
  if (rest === '') return true;
  const words = rest.toLowerCase().split(/\s+/);
  const first = words[0] ?? '';
  switch (name) {
    case 'interview':
      return first.startsWith('-') || ((Boolean(areasForTrack(first)) || closeToTrack(first)) && words.slice(1).every((word, index, all) => word.startsWith('-') || (index > 0 && (all[index - 1] ?? '').startsWith('-')) || (LEVELS as readonly string[]).includes(word) || Boolean(areasForTrack(word))));
    case 'settings':
      return ['timezone', 'tz', 'level', 'tracks', 'track'].includes(first);
    case 'quiz':
      return first === 'schedule';
    case 'forget':
      return rest.toLowerCase() === 'me';
    case 'ask':
      return true;
    default:
      return false;
  }
}

/**
 * Reads the one text grammar shared by every adapter. A leading `/` or `!` marks a command
 * explicitly; otherwise a known first word is a command only when what follows reads as its
 * arguments, and everything else is free text (an answer, or a question for `ask`).
 */
export function parseInput(raw: string, options: { answering?: boolean } = {}): ParsedInput {
  const text = raw.trim();
  const explicit = /^[/!]/.test(text);
  const body = explicit ? text.slice(1).trim() : text;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return { kind: 'text', text };
  const word = (match[1] ?? '').toLowerCase().replace(/[:,]$/, '');
  const rest = (match[2] ?? '').trim();
  const name = COMMAND_NAMES.has(word) ? word : ALIASES[word];
  if (word === 'quiz' && /^me\b/i.test(rest) && !options.answering) return { kind: 'command', name: 'quiz', args: '', flags: {}, positional: [] };
  if (name === 'forget' && rest === '') return { kind: 'unknown-command', word, suggestion: 'forget me' };
  if (name && explicit) return { kind: 'command', name, args: rest, ...splitArgs(rest) };
  if (name) {
    // While an answer is awaited, "Ask the product team..." is an answer; `/ask` still asks.
    const isCommand = options.answering ? name !== 'ask' && looksLikeArgs(name, rest) : looksLikeArgs(name, rest);
    if (isCommand) return { kind: 'command', name, args: rest, ...splitArgs(rest) };
    return { kind: 'text', text };
  }
  if (explicit) {
    const suggestion = suggestCommand(word);
    return suggestion ? { kind: 'unknown-command', word, suggestion } : { kind: 'unknown-command', word };
  }
  // A lone near-miss like "intervew metrics" is most likely a typo, not a question.
  if (!options.answering && rest.split(/\s+/).filter(Boolean).length <= 2 && word.length >= 4) {
    const suggestion = suggestCommand(word);
    if (suggestion && suggestion !== word) return { kind: 'unknown-command', word, suggestion };
  }
  return { kind: 'text', text };
}

/**
 * Text from a slash command is a command even inside an interview thread: mark it explicit
 * (`/ask ...`) so it is never graded as an answer. Free text (`/coach what is PSI`) stays a question.
 */
export function slashCommandText(text: string): string {
  const first = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return COMMAND_NAMES.has(first) ? `/${text.trim()}` : text;
}
