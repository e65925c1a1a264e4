import { randomBytes } from 'node:crypto';

/** A short id printed to the user and logged with the error, so an operator can find the log line. */
export function newReferenceId(): string {
  return randomBytes(4).toString('hex');
}

/** A short description of an error for logs: code and message, never the request (which holds the token). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
