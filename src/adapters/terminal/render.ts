import type { Reply } from '../../core/model/message.js';

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m', green: '\u001b[32m', yellow: '\u001b[33m', red: '\u001b[31m', cyan: '\u001b[36m' };

// Markup only counts at word edges, so code such as `(X**2).sum()` or `snake_case_names` stays intact.
const BOLD = /(^|[\s(])\*\*(\S(?:[^*]*?\S)?)\*\*(?=[\s.,;:!?)]|$)/g;
const ITALIC = /(^|\s)_(\S(?:[^_]*?\S)?)_(?=[\s.,;:!?)]|$)/g;
const CODE = /`([^`\n]+)`/g;

function inline(text: string, color: boolean): string {
  if (!color) return text.replace(BOLD, '$1$2').replace(ITALIC, '$1$2').replace(CODE, '$1');
  return text
    .replace(BOLD, `$1${ANSI.bold}$2${ANSI.reset}`)
    .replace(ITALIC, `$1${ANSI.dim}$2${ANSI.reset}`)
    .replace(CODE, `${ANSI.cyan}$1${ANSI.reset}`);
}

const TONE_COLOR: Record<Reply['tone'], string> = { good: ANSI.green, fair: ANSI.yellow, poor: ANSI.red, neutral: '' };

/** Renders a reply as terminal text; ANSI styling only when `color` (stdout is a TTY). */
export function renderForTerminal(value: Reply, color: boolean): string {
  const lines: string[] = [];
  if (value.title) {
    const title = color && value.score !== undefined ? `${TONE_COLOR[value.tone]}${ANSI.bold}${value.title}${ANSI.reset}` : color ? `${ANSI.bold}${value.title}${ANSI.reset}` : value.title;
    lines.push(`== ${title}`);
  }
  for (const section of value.sections) {
    if (section.heading) lines.push(color ? `${ANSI.bold}${section.heading}${section.collapsed ? ' (spoiler)' : ''}${ANSI.reset}` : `${section.heading}${section.collapsed ? ' (spoiler)' : ''}:`);
    lines.push(...section.body.split('\n').map((line) => inline(line, color)));
  }
  for (const image of value.images) lines.push(`Chart saved to ${image.path}`);
  return `${lines.join('\n')}\n`;
}
