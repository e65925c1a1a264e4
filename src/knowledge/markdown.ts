import { parse as parseYaml } from 'yaml';

export interface ParsedMarkdown {
  frontMatter: unknown;
  title: string | undefined;
  sections: { heading: string; text: string }[];
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** Splits a note into front-matter and `##` sections; text before the first `##` becomes an "Overview". */
export function parseMarkdownNote(source: string): { ok: true; value: ParsedMarkdown } | { ok: false; reason: string } {
  const normalized = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(normalized);
  if (!match) return { ok: false, reason: 'missing front-matter (a block between --- lines at the top)' };
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(match[1] ?? '');
  } catch (error) {
    return { ok: false, reason: `front-matter is not valid YAML (${(error as Error).message.split('\n')[0]})` };
  }
  const body = normalized.slice(match[0].length);
  let title: string | undefined;
  const sections: { heading: string; text: string }[] = [];
  let current: { heading: string; lines: string[] } = { heading: 'Overview', lines: [] };
  for (const line of body.split('\n')) {
    const h1 = /^#\s+(.+?)\s*$/.exec(line);
    const h2 = /^##\s+(.+?)\s*$/.exec(line);
    if (h1 && title === undefined) {
      title = h1[1];
    } else if (h2) {
      sections.push({ heading: current.heading, text: current.lines.join('\n').trim() });
      current = { heading: h2[1] ?? '', lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  sections.push({ heading: current.heading, text: current.lines.join('\n').trim() });
  return { ok: true, value: { frontMatter, title, sections: sections.filter((section) => section.text.length > 0) } };
}
