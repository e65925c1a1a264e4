/** Hard cap on what the engine reads of one message; anything longer is cut before parsing. */
export const MAX_MESSAGE_CHARS = 100_000;

export type InputProblem = 'empty' | 'binary' | 'no-words';

export interface CleanInput {
  text: string;
  problem?: InputProblem;
  /** The message was longer than MAX_MESSAGE_CHARS and was cut. */
  truncated: boolean;
}

/**
 * Normalises a raw message: strips control characters and zero-width junk, folds whitespace,
 * and tells apart empty, binary-looking and word-less (emoji-only) input.
 */
export function cleanInput(raw: string): CleanInput {
  const truncated = raw.length > MAX_MESSAGE_CHARS;
  const sliced = truncated ? raw.slice(0, MAX_MESSAGE_CHARS) : raw;
  let control = 0;
  for (const char of sliced) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd || (code >= 0x7f && code < 0xa0)) control += 1;
  }
  const text = sliced
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/g, '')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (sliced.length > 0 && control / sliced.length > 0.1) return { text, problem: 'binary', truncated };
  if (text.length === 0) return { text, problem: 'empty', truncated };
  if (!/[\p{L}\p{N}]/u.test(text)) return { text, problem: 'no-words', truncated };
  return { text, truncated };
}
