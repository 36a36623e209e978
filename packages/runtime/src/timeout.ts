/**
 * Resolves as `work` does, or rejects once `ms` have passed (the enqueue's bound,
 * each readiness check's). A late rejection of
 * `work` after the timeout is swallowed: nobody is left to tell.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, from?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer${from ? ` from ${from}` : ''} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
