/** Calendar arithmetic on local dates written as YYYY-MM-DD (timezone already applied), and the one timezone check. */

/** Examples shown wherever a timezone is refused. */
export const TIMEZONE_EXAMPLES = '`Europe/Berlin`, `America/New_York`, `Asia/Kolkata`, `UTC`';

/**
 * The canonical IANA name of a timezone ("europe/berlin" -> "Europe/Berlin"), or undefined when the
 * runtime does not know it. Users' settings, quiz schedules and the configured default all pass here.
 */
export function canonicalTimezone(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function localDay(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Monday of the ISO week containing `day`. */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  return addDays(day, -((date.getUTCDay() + 6) % 7));
}

/** ISO week label, e.g. `2026-W14`. */
export function isoWeek(day: string): string {
  const thursday = new Date(`${addDays(mondayOf(day), 3)}T12:00:00Z`);
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1, 12));
  const week = Math.floor((thursday.getTime() - yearStart.getTime()) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
