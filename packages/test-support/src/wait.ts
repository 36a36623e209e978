/**
 * The promise's value, or a failure naming what did not happen after timeoutMs.
 * A bound on waiting for a state (a socket closed, an answer), set far above
 * what a slow machine needs: never a measurement of how fast it came.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
