import type { Config } from '../../config/schema.js';
import { err, ok, UserFacingError, type Result } from '../../shared/result.js';

export type SlackMode =
  | { kind: 'socket'; botToken: string; appToken: string }
  | { kind: 'http'; botToken: string; signingSecret: string; port: number };

/**
 * Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP mode with SLACK_SIGNING_SECRET on
 * PORT at `/slack/events`. SLACK_BOT_TOKEN is needed for both.
 */
export function resolveSlackMode(config: Config): Result<SlackMode> {
  const problems: string[] = [];
  const botToken = config.SLACK_BOT_TOKEN;
  if (!botToken) problems.push('SLACK_BOT_TOKEN is missing (the bot token, xoxb-..., from OAuth & Permissions)');
  else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-...)');
  const appToken = config.SLACK_APP_TOKEN;
  if (appToken && !appToken.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-...) with the connections:write scope');
  if (!appToken && !config.SLACK_SIGNING_SECRET) {
    problems.push('set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode, Basic Information > App Credentials)');
  }
  if (problems.length > 0 || !botToken) {
    return err(new UserFacingError('slack.config', `Slack is not configured:\n  ${problems.join('\n  ')}`, problems));
  }
  if (appToken) return ok({ kind: 'socket', botToken, appToken });
  return ok({ kind: 'http', botToken, signingSecret: config.SLACK_SIGNING_SECRET ?? '', port: config.PORT });
}

/** SLACK_API_URL as the Web API client wants it (with a trailing slash), or undefined for slack.com. */
export function slackApiUrl(config: Config): string | undefined {
  const url = config.SLACK_API_URL;
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}
