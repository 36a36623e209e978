import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com, spec/standard-webhooks.md):
// the signed content is `${webhook-id}.${webhook-timestamp}.${body}`, signed with
// HMAC-SHA256 under the base64-decoded part of a `whsec_` secret; the
// `webhook-signature` header lists space-delimited `v1,<base64>` signatures, one
// per active secret, so a receiver holding either secret verifies during rotation.

const PREFIX = 'whsec_';
const SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** A new endpoint secret: `whsec_` + base64 of 24 random bytes (the spec asks for 24 to 64). */
export function generateEndpointSecret(): string {
  return `${PREFIX}${randomBytes(24).toString('base64')}`;
}

export function isEndpointSecret(secret: string): boolean {
  return SECRET.test(secret);
}

export function signatureOf(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three headers of one attempt; `secrets`: the current one first, then one still inside its rotation window. */
export function standardWebhookHeaders(
  secrets: readonly string[],
  messageId: string,
  timestamp: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, messageId, timestamp, body)).join(' '),
  };
}
