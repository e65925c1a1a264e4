import { canonicalTimezone, TIMEZONE_EXAMPLES } from '../core/calendar.js';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = optionalString.refine(
  (value) => value === undefined || /^https?:\/\//.test(value),
  'must be an http(s) URL',
);

/** "true"/"1"/"yes" or "false"/"0"/"no" (any case); anything else is refused rather than read as false. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'TRUE', 'FALSE', 'True', 'False', 'YES', 'NO', ''])
  .default('false')
  .transform((value) => ['true', '1', 'yes'].includes(value.toLowerCase()));

const timezone = z
  .string()
  .default('UTC')
  .transform((value, ctx) => {
    const canonical = canonicalTimezone(value);
    if (!canonical) ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 60)}" is not an IANA timezone; examples: ${TIMEZONE_EXAMPLES.replace(/`/g, '')}` });
    return canonical ?? 'UTC';
  });

const intInRange = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Every setting mle-coach reads, in one place. Each key is an environment variable;
 * the README's configuration table is generated from the descriptions below.
 */
export const configSchema = z.object({
  MLE_COACH_DATA_DIR: z.string().default('./data').describe('Folder for every file the app writes (SQLite, index, caches, charts).'),
  MLE_COACH_CACHE_DIR: optionalString.describe('Folder for derived caches (word-vector cache). Default: `<data dir>/cache`. Several data dirs may share one.'),
  MLE_COACH_KNOWLEDGE_DIR: optionalString.describe('Knowledge folder (notes and question bank). Default: the `knowledge/` shipped with the app.'),
  MLE_COACH_ALLOW_BROKEN_KNOWLEDGE: flag.describe('`serve` becomes ready even when knowledge files have problems (they are left out and logged). Default `false`: `/readyz` stays 503 until `kb check` is clean.'),
  MLE_COACH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  MLE_COACH_SESSION_TTL_MINUTES: intInRange(1, 60 * 24 * 30, 120).describe('Idle minutes after which an interview expires (partial results are kept).'),
  MLE_COACH_MAX_ANSWER_CHARS: intInRange(200, 100_000, 6000).describe('Answers longer than this are graded on their first part, with a notice.'),
  MLE_COACH_DEFAULT_TIMEZONE: timezone.describe('IANA timezone used when neither the user nor the channel set one.'),
  MLE_COACH_ADMINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .describe('Comma-separated user ids (e.g. `discord:123,slack:T1:U2`) allowed to manage quiz schedules, besides server/workspace admins.'),
  MLE_COACH_QUIZ_CLOSE_HOURS: intInRange(1, 24 * 7, 24).describe('Hours after posting when a daily quiz closes and its model answer is revealed.'),
  MLE_COACH_EMBEDDER: z.enum(['auto', 'local', 'openai']).default('auto').describe('`local` word vectors, `openai` embeddings, or `auto` (OpenAI-compatible when a key or base URL is set).'),

  OPENAI_API_KEY: optionalString.describe('Enables LLM grading/answers via OpenAI. Never logged.'),
  OPENAI_BASE_URL: optionalUrl.describe('Any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio), e.g. `http://localhost:11434/v1`.'),
  MLE_COACH_MODEL: z.string().default('gpt-4o-mini').describe('Chat model for LLM grading, answers and follow-ups.'),
  MLE_COACH_EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small').describe('Embeddings model when the OpenAI embedder is used.'),
  MLE_COACH_LLM_TIMEOUT_MS: intInRange(1000, 600_000, 20_000).describe('Timeout per LLM call; on timeout the offline grader is used.'),
  MLE_COACH_LLM_DAILY_BUDGET: intInRange(0, 1_000_000, 200).describe('LLM calls per user per day; past it the offline grader answers.'),
  MLE_COACH_GRADER_DISAGREEMENT: intInRange(0, 100, 25).describe('Points of difference between LLM and offline grades above which the reply says they disagree.'),

  SLACK_BOT_TOKEN: optionalString.describe('Slack bot token (`xoxb-...`); needed for both Slack modes.'),
  SLACK_APP_TOKEN: optionalString.describe('Slack app-level token (`xapp-...`): Socket Mode, no public URL needed.'),
  SLACK_SIGNING_SECRET: optionalString.describe('Slack signing secret: HTTP mode on `PORT` at `/slack/events`.'),
  SLACK_API_URL: optionalUrl.describe('Override of the Slack Web API base URL (GovSlack, proxies, tests).'),
  PORT: intInRange(1, 65535, 3000).describe('HTTP port for Slack HTTP mode.'),

  DISCORD_TOKEN: optionalString.describe('Discord bot token.'),
  DISCORD_APPLICATION_ID: optionalString.describe('Discord application id (for command registration).'),
  DISCORD_GUILD_ID: optionalString.describe('Register slash commands in this guild only (instant updates).'),
  DISCORD_REST_API_URL: optionalUrl.describe('Override of the Discord REST base, e.g. a REST proxy (default `https://discord.com/api`).'),

  HEALTH_PORT: intInRange(0, 65535, 8080).describe('Port for `/healthz` and `/readyz` when running `serve`.'),
});

export type Config = z.infer<typeof configSchema>;

/** Values that must never reach a log line, error message or reply. */
export function secretValues(config: Config): string[] {
  return [config.OPENAI_API_KEY, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.DISCORD_TOKEN].filter(
    (value): value is string => typeof value === 'string' && value.length >= 4,
  );
}

export function hasLlm(config: Config): boolean {
  return Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}

export function hasSlack(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET));
}

export function hasDiscord(config: Config): boolean {
  return Boolean(config.DISCORD_TOKEN);
}
