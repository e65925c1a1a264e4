import { COMMANDS } from '../../core/commands/list.js';

/**
 * `/coach <text>` -> the engine's text grammar. Slack slash commands carry free text, so the grammar is typed
 * as is (`/coach interview metrics --level hard`); `name:value` options are accepted too
 * (`/coach interview track:metrics level:hard` -> `interview metrics --level hard`). An empty command is `help`.
 */
export function slashCommandToText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'help';
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const spec = COMMANDS.find((command) => command.name === first.toLowerCase());
  if (!spec || spec.options.some((option) => option.rest)) return trimmed;
  const positional: string[] = [];
  const flags: string[] = [];
  for (const token of rest) {
    const named = /^([a-z][a-z-]*):(.+)$/i.exec(token);
    const option = named ? spec.options.find((candidate) => candidate.name === named[1]?.toLowerCase()) : undefined;
    if (!named || !option) positional.push(token);
    else if (option.flag) flags.push(`--${option.name}`, named[2] ?? '');
    else positional.push(named[2] ?? '');
  }
  return [spec.name, ...positional, ...flags].join(' ');
}
