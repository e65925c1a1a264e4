import { LEVELS } from '../../knowledge/areas.js';

export interface CommandOption {
  name: string;
  description: string;
  kind: 'string' | 'integer';
  required: boolean;
  /** Fixed choices; `tracks` means "autocomplete from the track list". */
  choices?: readonly string[] | 'tracks';
  /** Rest of the line (free text), e.g. the question of `ask`. */
  rest?: boolean;
  /** Written as `--name value` in text form instead of positionally. */
  flag?: boolean;
  min?: number;
  max?: number;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: readonly CommandOption[];
  /** Also offered as a slash subcommand on Discord/Slack. */
  slash: boolean;
}

/** The one command list: the parser, the help text and every adapter's slash commands come from it. */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', summary: 'Show what I can do', usage: 'help', options: [], slash: true },
  {
    name: 'interview',
    summary: 'Start a mock interview',
    usage: 'interview [track] [--level easy|medium|hard] [--questions N]',
    options: [
      { name: 'track', description: 'Track or area, e.g. metrics, system-design, mlops, algorithms', kind: 'string', required: false, choices: 'tracks' },
      { name: 'level', description: 'Difficulty', kind: 'string', required: false, choices: LEVELS, flag: true },
      { name: 'questions', description: 'Number of questions (1-10)', kind: 'integer', required: false, flag: true, min: 1, max: 10 },
    ],
    slash: true,
  },
  {
    name: 'quiz',
    summary: "Today's quiz question (admins: `quiz schedule HH:MM [weekdays] [tz] [tracks]`, `quiz schedule off|show`)",
    usage: 'quiz [schedule ...]',
    options: [{ name: 'args', description: 'schedule HH:MM [mon-fri] [Europe/Berlin] [tracks] | schedule off | schedule show', kind: 'string', required: false, rest: true }],
    slash: true,
  },
  {
    name: 'ask',
    summary: 'Ask a question; I answer from the knowledge base with sources',
    usage: 'ask <question>',
    options: [{ name: 'question', description: 'Your question', kind: 'string', required: true, rest: true }],
    slash: true,
  },
  { name: 'hint', summary: 'Get a hint for the current question (lowers its maximum score)', usage: 'hint', options: [], slash: false },
  { name: 'skip', summary: 'Skip the current question', usage: 'skip', options: [], slash: false },
  { name: 'repeat', summary: 'Show the current question again', usage: 'repeat', options: [], slash: false },
  { name: 'end', summary: 'End the interview and get a summary', usage: 'end', options: [], slash: false },
  { name: 'progress', summary: 'Your mastery per area, weakest areas, due reviews and recent scores', usage: 'progress', options: [], slash: true },
  { name: 'leaderboard', summary: "This channel's weekly and all-time quiz leaderboard", usage: 'leaderboard', options: [], slash: true },
  {
    name: 'settings',
    summary: 'Show or change settings: `settings timezone Europe/Paris`, `settings level hard`, `settings tracks metrics mlops`; `forget me` deletes your data',
    usage: 'settings [timezone|level|tracks <value>]',
    options: [{ name: 'args', description: 'timezone <IANA tz> | level easy|medium|hard | tracks <track...>', kind: 'string', required: false, rest: true }],
    slash: true,
  },
  { name: 'forget', summary: 'Delete all your data (`forget me`)', usage: 'forget me', options: [{ name: 'what', description: 'Type "me" to confirm', kind: 'string', required: true, choices: ['me'] }], slash: false },
];
