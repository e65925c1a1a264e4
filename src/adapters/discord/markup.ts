/**
 * The engine's neutral markup (`**bold**`, `_italic_`, `` `code` ``, `- ` bullets, `> ` quotes) is
 * already Discord markdown, so rendering is mostly about safety: mentions quoted from users must
 * not look like (or act as) pings, spoilers must not be closed early, and text must be cut to size.
 */

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Breaks every mention form so it renders as plain text: `@everyone`, `@here`, `<@id>`, `<@!id>`,
 * `<@&role>`. Allowed mentions already stop the pings; this also stops the highlight, so a quoted
 * answer never looks like the bot pinged someone.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<@([!&]?\d+)>/g, `<@${ZERO_WIDTH_SPACE}$1>`);
}

/** Wraps text in a spoiler; `||` inside is escaped so the spoiler cannot be closed early. */
export function spoiler(text: string): string {
  return `||${text.replace(/\|/g, '\\|')}||`;
}

/** Characters `spoiler` adds around and inside `text`. */
export function spoilerOverhead(text: string): number {
  return 4 + (text.match(/\|/g)?.length ?? 0);
}

/** Cuts to `max` characters with an ellipsis, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1)}…`;
}

function safeSlice(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
  return text.slice(0, cut);
}

const FENCE = '```';
const FENCE_CLOSE = `\n${FENCE}`;

/** The fence opener (e.g. "```python") of a code block left open at the end of `text`, if any. */
function openFence(text: string): string | undefined {
  const fences = [...text.matchAll(/```/g)];
  const last = fences.at(-1);
  if (fences.length % 2 === 0 || last === undefined) return undefined;
  const language = /^```([\w+#-]*)/.exec(text.slice(last.index))?.[1] ?? '';
  return `${FENCE}${language}`;
}

/** Where to cut `text` so the first part has at most `budget` characters: paragraph, line, word, else hard. */
function cutPoint(text: string, budget: number): number {
  const window = text.slice(0, budget + 1);
  const floor = Math.floor(budget / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= floor && at > 0) return at;
  }
  return safeSlice(text, budget).length;
}

/**
 * Splits text into chunks of at most `limit` characters, preferring paragraph, then line, then
 * word boundaries. A code fence cut in two is closed at the end of one chunk and reopened in the next.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError(`splitText limit too small: ${limit}`);
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  const hasFences = text.includes(FENCE);
  let rest = text;
  let reopen = '';
  while (rest.length > 0) {
    if (reopen.length + rest.length <= limit) {
      chunks.push(reopen + rest);
      break;
    }
    const budget = limit - reopen.length - (hasFences ? FENCE_CLOSE.length : 0);
    const cut = cutPoint(rest, budget);
    let chunk = reopen + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\s*\n/, '').replace(/^ +/, '');
    const fence = hasFences ? openFence(chunk) : undefined;
    if (fence && rest.length > 0) {
      chunk += FENCE_CLOSE;
      reopen = `${fence}\n`;
    } else {
      reopen = '';
    }
    if (chunk.trim().length > 0) chunks.push(chunk);
  }
  return chunks;
}
