import { createHmac } from 'node:crypto';

// Sumsub's request signature (docs.sumsub.com/reference/authentication):
// X-App-Access-Sig = lowercase hex HMAC-SHA256, keyed with the app token's secret,
// over the timestamp exactly as sent in X-App-Access-Ts (Unix seconds), the
// upper-case method, the path with every query parameter as it goes on the wire,
// and the body bytes exactly as sent (nothing for a request without a body).

export function signRequest(secretKey: string, timestamp: number, method: string, pathWithQuery: string, body?: Buffer | string): string {
  const hmac = createHmac('sha256', secretKey).update(`${timestamp}${method.toUpperCase()}${pathWithQuery}`);
  if (body !== undefined && body.length > 0) hmac.update(body);
  return hmac.digest('hex');
}

/** The three authentication headers for one request, signed now. */
export function authHeaders(
  appToken: string,
  secretKey: string,
  method: string,
  pathWithQuery: string,
  body?: Buffer | string,
  now = Date.now(),
): Record<'X-App-Token' | 'X-App-Access-Ts' | 'X-App-Access-Sig', string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'X-App-Token': appToken,
    'X-App-Access-Ts': String(timestamp),
    'X-App-Access-Sig': signRequest(secretKey, timestamp, method, pathWithQuery, body),
  };
}
