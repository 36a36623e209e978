import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refuseLiteral } from './address-policy.ts';

/** What one POST to an endpoint came to. `status` is null when no response arrived. */
export type SendResult = { ok: boolean; status: number | null; error: string | null; seconds: number };

export type SendOptions = { timeoutMs: number; allowPrivate: boolean };

/** What a failed attempt records: a status and a short reason, never the receiver's response body. */
const reason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'no response within NOTIFY_TIMEOUT_MS';
  return `${e.code ?? e.name}: ${e.message}`.slice(0, 300);
};

/**
 * One POST of a signed message. 2xx is success; redirects are not followed (a
 * receiver that moved registers its new URL). The connection's address is checked
 * when it is made (guardedLookup), so a DNS answer that changed since the endpoint
 * was registered cannot point the worker inside the network.
 */
export function postMessage(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const target = new URL(url);
  return new Promise((resolve) => {
    try {
      refuseLiteral(target.hostname, options.allowPrivate);
    } catch (error) {
      resolve({ ok: false, status: null, error: reason(error), seconds: seconds() });
      return;
    }
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'kyc-webhooks',
        },
        lookup: guardedLookup(options.allowPrivate),
        signal: AbortSignal.timeout(options.timeoutMs),
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // The body is read and dropped: a receiver's answer is not ours to keep or log.
        response.resume();
        response.on('end', () =>
          resolve({
            ok: status >= 200 && status < 300,
            status,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
            seconds: seconds(),
          }),
        );
        response.on('error', (error) => resolve({ ok: false, status, error: reason(error), seconds: seconds() }));
      },
    );
    request.on('error', (error) => resolve({ ok: false, status: null, error: reason(error), seconds: seconds() }));
    request.end(body);
  });
}
