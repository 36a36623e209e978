import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateEndpointSecret, isEndpointSecret, signatureOf, standardWebhookHeaders } from '../src/notify/standard-webhooks.ts';

// The test vector the Standard Webhooks libraries share (standard-webhooks/standard-webhooks,
// libraries' tests; first published by Svix): secret, id, timestamp, body → signature.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the specification test vector', () => {
    expect(signatureOf(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('new secrets are whsec_ + base64 of 24 random bytes, each different', () => {
    const a = generateEndpointSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(isEndpointSecret(a)).toBe(true);
    expect(generateEndpointSecret()).not.toBe(a);
    expect(isEndpointSecret('whsec_short')).toBe(false);
  });

  it('signs with every active secret, space-delimited, and the standardwebhooks library verifies with either', () => {
    const [current, previous] = [generateEndpointSecret(), generateEndpointSecret()];
    const body = JSON.stringify({ type: 'applicant.decision.changed', data: { name: 'Zoë' } });
    const now = Math.floor(Date.now() / 1000);
    const headers = standardWebhookHeaders([current, previous], 'msg_1', now, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateEndpointSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });
});
