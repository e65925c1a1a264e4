import { areasForTrack, trackNames } from '../knowledge/areas.js';

export interface ParsedSchedule {
  time: string;
  weekdays: string;
  timezone?: string;
  tracks: string[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function dayIndex(word: string): number | undefined {
  const index = DAYS.indexOf(word.slice(0, 3));
  return index >= 0 ? index : undefined;
}

/** Weekday words to a cron day-of-week field: `mon-fri`, `mon,wed,fri`, `daily`, `weekdays`, `weekends`. */
export function parseWeekdays(word: string): string | undefined {
  const value = word.toLowerCase();
  if (value === 'daily' || value === 'everyday' || value === 'all') return '*';
  if (value === 'weekdays') return '1-5';
  if (value === 'weekends') return '0,6';
  const range = /^([a-z]{3,9})-([a-z]{3,9})$/.exec(value);
  if (range) {
    const from = dayIndex(range[1] ?? '');
    const to = dayIndex(range[2] ?? '');
    return from !== undefined && to !== undefined ? `${from}-${to}` : undefined;
  }
  const list = value.split(',').map(dayIndex);
  if (list.length && list.every((day) => day !== undefined)) return list.join(',');
  return undefined;
}

function isTimezone(value: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM [weekdays] [tz] [track...]` → a schedule, or a message saying what is wrong. */
export function parseScheduleArgs(args: string): ParsedSchedule | { error: string } {
  const words = args.split(/\s+/).filter(Boolean);
  const time = words.shift();
  const match = time ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time) : null;
  if (!match) return { error: 'Give a time first, e.g. `quiz schedule 09:00 mon-fri Europe/Berlin metrics mlops`.' };
  const result: ParsedSchedule = { time: `${(match[1] ?? '0').padStart(2, '0')}:${match[2]}`, weekdays: '*', tracks: [] };
  for (const word of words) {
    const weekdays = parseWeekdays(word);
    if (weekdays) {
      result.weekdays = weekdays;
    } else if (isTimezone(word) && (word.includes('/') || /^utc$/i.test(word))) {
      result.timezone = new Intl.DateTimeFormat('en-US', { timeZone: word }).resolvedOptions().timeZone;
    } else if (areasForTrack(word.toLowerCase())) {
      result.tracks.push(word.toLowerCase());
    } else {
      return { error: `I do not understand \`${word.slice(0, 40)}\`: expected weekdays (mon-fri, daily), an IANA timezone (Europe/Berlin) or a track (${trackNames().slice(0, 6).join(', ')}, ...).` };
    }
  }
  return result;
}
