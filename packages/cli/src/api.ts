/** One call to the service's HTTP API with a Bearer token: status and parsed JSON (an empty object for 204). */
export async function callApi<T>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
}

/** What the API answers on an error: {error, message}. */
export type ApiFailure = { error?: string; message?: string };

/** Prints an error answer as "status error: message"; the command's exit code (1). */
export function printFailure(status: number, json: ApiFailure): number {
  process.stderr.write(`${status} ${json.error ?? ''}: ${json.message ?? ''}\n`);
  return 1;
}
