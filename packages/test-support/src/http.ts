import { type DigestAlgorithm, signBody } from '@kyc/sumsub-webhook';
import { ADMIN_TOKEN, TEST_SECRET } from './env.ts';

export type PostOptions = {
  secret?: string;
  algorithm?: DigestAlgorithm | null;
  digest?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** POST /webhooks/sumsub/<account> instead of /webhooks/sumsub (the default account). */
  account?: string;
};

export type HttpResult = { status: number; headers: Headers; json: Record<string, unknown> };

/** The headers Sumsub sends with a webhook: content type and signature (override any part to break it). */
export function webhookHeaders(body: string | Buffer, options: PostOptions = {}): Record<string, string> {
  const algorithm = options.algorithm === undefined ? 'HMAC_SHA256_HEX' : options.algorithm;
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  const digest =
    options.digest === undefined ? signBody(body, options.secret ?? TEST_SECRET, algorithm ?? 'HMAC_SHA256_HEX') : options.digest;
  if (digest !== null) headers['x-payload-digest'] = digest;
  if (algorithm !== null) headers['x-payload-digest-alg'] = algorithm;
  return headers;
}

/** POSTs a webhook signed like Sumsub does (override any part to break it). */
export async function postWebhook(baseUrl: string, body: string | Buffer, options: PostOptions = {}): Promise<HttpResult> {
  const headers = webhookHeaders(body, options);
  const path = options.account === undefined ? '/webhooks/sumsub' : `/webhooks/sumsub/${options.account}`;
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: new Uint8Array(Buffer.from(body)) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string, token?: string): Promise<HttpResult> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** An admin API call with the test admin token (JSON in, JSON out; 204 has no body). */
export async function adminCall(baseUrl: string, method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
