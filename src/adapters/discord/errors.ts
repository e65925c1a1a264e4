import { DiscordAPIError, HTTPError } from 'discord.js';

/** Discord JSON error codes the adapter reacts to. */
export const DiscordErrorCode = {
  UnknownInteraction: 10062,
  UnknownWebhook: 10015,
  CannotSendToUser: 50007,
  MissingAccess: 50001,
  MissingPermissions: 50013,
} as const;

export function hasDiscordCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}

/**
 * Loggable summary of a failure. Never includes the request URL: interaction and webhook URLs
 * carry tokens.
 */
export function describeDiscordError(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) return { name: error.name, code: error.code, status: error.status, method: error.method, message: error.message };
  if (error instanceof HTTPError) return { name: error.name, status: error.status, method: error.method, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}
