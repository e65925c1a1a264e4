/** Polls `condition` until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(condition: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
