/**
 * Text in and out of Slack.
 *
 * In: Slack sends message text with `&`, `<`, `>` escaped and with `<...>` tokens for mentions and links;
 * `decodeSlackText` turns that into the plain sentence the user typed (`<!channel>` becomes `@channel`).
 * Out: every piece of text we send in a mrkdwn field goes through `escapeSlackText`, so nothing a user wrote
 * can become a live mention (`<!channel>`, `<@U123>`) or a link; the engine's tiny neutral markup is then
 * translated to mrkdwn by `neutralToMrkdwn`.
 */

export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function decodeToken(inner: string): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return `@${label || target.slice(1)}`;
  if (target.startsWith('#')) return `#${label || target.slice(1)}`;
  if (target.startsWith('!')) {
    const word = target.slice(1);
    if (word.startsWith('subteam^')) return label || '@group';
    if (word.startsWith('date^')) return label || '';
    return label || `@${word}`;
  }
  if (target.startsWith('mailto:')) return label || target.slice('mailto:'.length);
  return label && label !== target ? `${label} (${target})` : target;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/** Slack message text -> what the user typed, as plain text. */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>\n]+)>/g, (_match, inner: string) => decodeToken(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Removes mentions of the bot (`<@U123>` or `<@U123|name>`) from raw Slack text. */
export function stripBotMention(rawText: string, botUserId: string): string {
  const pattern = new RegExp(`<@${botUserId.replace(/[^A-Za-z0-9]/g, '')}(?:\\|[^>]*)?>`, 'g');
  return rawText.replace(pattern, ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

export function mentionsUser(rawText: string, userId: string): boolean {
  return rawText.includes(`<@${userId}>`) || rawText.includes(`<@${userId}|`);
}

function inlineToMrkdwn(text: string): string {
  // Code spans keep their content verbatim (escaped); bold is `*x*` in mrkdwn, italic `_x_` is the same.
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? escapeSlackText(part) : escapeSlackText(part).replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, '*$1*')))
    .join('');
}

/** The engine's neutral markup (`**bold**`, `_italic_`, `` `code` ``, `- ` bullets, `> ` quotes) -> Slack mrkdwn. */
export function neutralToMrkdwn(neutral: string): string {
  let inFence = false;
  return neutral
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return escapeSlackText(line);
      }
      if (inFence) return escapeSlackText(line);
      const bullet = /^(\s*)- (.*)$/.exec(line);
      if (bullet) return `${bullet[1] ?? ''}• ${inlineToMrkdwn(bullet[2] ?? '')}`;
      const quote = /^> ?(.*)$/.exec(line);
      if (quote) return `&gt; ${inlineToMrkdwn(quote[1] ?? '')}`;
      return inlineToMrkdwn(line);
    })
    .join('\n');
}

/** Neutral markup -> plain one-line text (notification fallbacks, plain_text fields). */
export function neutralToPlain(neutral: string): string {
  return neutral
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*[->] ?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts to `max` characters (code points are never split), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (isLowSurrogate(text.charCodeAt(end))) end -= 1;
  return `${text.slice(0, end)}…`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A cut position at or before `limit` that splits neither an `&amp;`-style entity nor a surrogate pair. */
function safeCut(text: string, limit: number): number {
  let cut = limit;
  const space = text.lastIndexOf(' ', cut);
  const newline = text.lastIndexOf('\n', cut);
  const boundary = Math.max(space, newline);
  if (boundary > limit * 0.6) cut = boundary + 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 6 && text.indexOf(';', amp) >= cut) cut = amp;
  if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
  return Math.max(1, cut);
}

const FENCE = '```';

/**
 * Splits mrkdwn into pieces of at most `limit` characters, on line boundaries when possible. A code fence
 * open at a cut is closed at the end of the piece and reopened at the start of the next one.
 */
export function splitMrkdwn(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const budget = limit - (FENCE.length + 1) * 2;
  const pieces: string[] = [];
  let current = '';
  let fenceOpen = false;
  const flush = () => {
    if (!current) return;
    pieces.push(fenceOpen ? `${current}\n${FENCE}` : current);
    current = fenceOpen ? `${FENCE}\n` : '';
  };
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > 0 || line.length === 0) {
      const room = budget - current.length - (current ? 1 : 0);
      if (rest.length <= room) {
        current = current ? `${current}\n${rest}` : rest;
        rest = '';
        break;
      }
      if (room < budget / 4 && current && current !== `${FENCE}\n`) {
        flush();
        continue;
      }
      const cut = safeCut(rest, Math.max(1, room));
      const head = rest.slice(0, cut);
      current = current ? `${current}\n${head}` : head;
      rest = rest.slice(cut);
      flush();
    }
    if (line.trim().startsWith(FENCE)) fenceOpen = !fenceOpen;
  }
  if (current && current !== `${FENCE}\n`) pieces.push(current);
  return pieces;
}
