import { configSchema, secretValues, type Config } from './schema.js';
import { err, ok, UserFacingError, type Result } from '../shared/result.js';

/** Parses the environment once; every bad key is listed, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Result<Config> {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) known[key] = env[key];
  const parsed = configSchema.safeParse(known);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return err(new UserFacingError('config.invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, problems));
}

export function redactSecrets(text: string, config: Config): string {
  let out = text;
  for (const secret of secretValues(config)) out = out.split(secret).join('[redacted]');
  // Token-shaped strings are hidden even when they are not ours (pasted by a user, echoed by a server).
  return out.replace(/\b(xox[abpr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|sk-[A-Za-z0-9_-]{16,})\b/g, '[redacted]');
}
