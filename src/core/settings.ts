import { areasForTrack, LEVELS, trackNames } from '../knowledge/areas.js';
import type { Reply } from './model/message.js';
import type { Store, UserRecord, UserSettings } from './ports/store.js';
import { canonicalTimezone, TIMEZONE_EXAMPLES } from './calendar.js';
import { errorReply, infoReply } from './replies.js';


function describe(settings: UserSettings, defaultTimezone: string): string {
  return [
    `- timezone: **${settings.timezone ?? `${defaultTimezone} (default)`}**`,
    `- level: **${settings.level ?? 'medium (default)'}**`,
    `- tracks: **${settings.tracks.length ? settings.tracks.join(', ') : 'all four interview tracks (default)'}**`,
    '',
    'Change with `settings timezone Europe/Paris`, `settings level hard`, `settings tracks metrics mlops` (or `settings tracks all`). `forget me` deletes all your data.',
  ].join('\n');
}

/** `settings [timezone|level|tracks <value>]`: show or change the user's preferences. */
export function settingsCommand(store: Store, user: UserRecord, args: string[], defaultTimezone: string): Reply[] {
  const [key, ...values] = args;
  const settings: UserSettings = { ...user.settings };
  if (!key) return [infoReply(describe(settings, defaultTimezone), { private: true, title: 'Your settings' })];
  switch (key.toLowerCase()) {
    case 'timezone':
    case 'tz': {
      const value = values[0];
      if (!value) return [errorReply('Name a timezone, e.g. `settings timezone Europe/Berlin` (IANA names such as `America/New_York`, `Asia/Kolkata`, `UTC`).')];
      const timezone = canonicalTimezone(value ?? '');
      if (!timezone) return [errorReply(`\`${(value ?? '').slice(0, 60)}\` is not an IANA timezone. Examples: ${TIMEZONE_EXAMPLES}.`)];
      settings.timezone = timezone;
      break;
    }
    case 'level': {
      const value = values[0]?.toLowerCase();
      if (!value || !(LEVELS as readonly string[]).includes(value)) return [errorReply('Level must be easy, medium or hard.')];
      settings.level = value as UserSettings['level'];
      break;
    }
    case 'tracks':
    case 'track': {
      const wanted = values.map((value) => value.toLowerCase().replace(/,$/, '')).filter(Boolean);
      if (wanted.length === 0) return [errorReply(`Name the tracks, e.g. \`settings tracks metrics mlops\`, or \`settings tracks all\`. Tracks: ${trackNames().join(', ')}.`)];
      if (wanted.includes('all') || wanted.includes('none')) {
        settings.tracks = [];
        break;
      }
      const unknown = wanted.filter((track) => !areasForTrack(track));
      if (unknown.length) return [errorReply(`Unknown track${unknown.length > 1 ? 's' : ''}: ${unknown.map((track) => `\`${track.slice(0, 40)}\``).join(', ')}. Tracks: ${trackNames().join(', ')}.`)];
      settings.tracks = [...new Set(wanted)];
      break;
    }
    default:
      return [errorReply(`Unknown setting \`${key.slice(0, 40)}\`. Use \`timezone\`, \`level\` or \`tracks\`.`)];
  }
  store.saveSettings(user.id, settings);
  return [infoReply(describe(settings, defaultTimezone), { private: true, title: 'Settings saved' })];
}
