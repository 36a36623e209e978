import { type DigestAlgorithm, signBody } from '@kyc/sumsub-webhook';
import { random } from '@kyc/samples';

export type FuzzCase = { kind: string; method?: string; path?: string; body: Buffer; headers: Record<string, string> };

const VALID = {
  applicantId: '5cb56e8e0a975a35f333cb83',
  type: 'applicantReviewed',
  correlationId: 'req-1',
  createdAtMs: '2020-02-21 13:23:19.321',
};
const WRONG_TYPES: [string, unknown][] = [
  ['applicantId', 12345],
  ['applicantId', null],
  ['applicantId', ['a']],
  ['type', true],
  ['type', { nested: 'x' }],
  ['correlationId', 7],
  ['createdAtMs', 1582291399321],
  ['createdAtMs', '21.02.2020 13:23'],
  ['reviewResult', ['GREEN']],
  ['reviewResult', { reviewAnswer: 1 }],
  ['reviewResult', { rejectLabels: 'FORGERY' }],
  ['sandboxMode', 'yes'],
  ['applicantId', ''],
];

/**
 * Bad input for POST /webhooks/sumsub, none of which may be enqueued: random
 * bytes, invalid UTF-8, deep nesting, huge strings and arrays, wrong types,
 * duplicate keys, odd and missing headers. Most are correctly signed, so they
 * reach the parser and the schema rather than stopping at the signature.
 */
export function fuzzCases(seed: number, secret: string, maxBodyBytes: number, adminToken: string) {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const int = (max: number) => Math.floor(rand() * max);
  const signed = (
    kind: string,
    body: Buffer | string,
    algorithm: DigestAlgorithm = pick(['HMAC_SHA1_HEX', 'HMAC_SHA256_HEX', 'HMAC_SHA512_HEX'] as const),
  ): FuzzCase => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    return {
      kind,
      body: bytes,
      headers: {
        'content-type': 'application/json',
        'x-payload-digest': signBody(bytes, secret, algorithm),
        'x-payload-digest-alg': algorithm,
      },
    };
  };
  const generators: (() => FuzzCase)[] = [
    () => signed('random bytes', Buffer.from(Array.from({ length: int(2048) }, () => int(256)))),
    () =>
      signed(
        'invalid utf-8',
        Buffer.concat([
          Buffer.from('{"applicantId":"'),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
          Buffer.from('","type":"x"}'),
        ]),
      ),
    () => {
      const depth = 1000 + int(50_000);
      return signed(
        'deep nesting',
        rand() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      );
    },
    () => signed('huge string', JSON.stringify({ ...VALID, applicantId: 'x'.repeat(1000 + int(200_000)) })),
    () =>
      signed(
        'huge array',
        JSON.stringify({
          ...VALID,
          type: undefined,
          reviewResult: { rejectLabels: Array.from({ length: 1000 + int(20_000) }, (_, i) => i) },
        }),
      ),
    () => signed('over the size limit', Buffer.alloc(maxBodyBytes + 1 + int(1024), 0x20)),
    () => {
      const [field, value] = pick(WRONG_TYPES);
      return signed(`wrong type: ${field}`, JSON.stringify({ ...VALID, [field]: value }));
    },
    () =>
      signed(
        'duplicate keys',
        `{"applicantId":"${VALID.applicantId}","type":"applicantReviewed","correlationId":"c","createdAtMs":"2020-02-21 13:23:19.321","applicantId":${int(100)}}`,
      ),
    () => signed('not an object', pick(['[]', '"text"', '42', 'null', 'true', '[{"applicantId":"a"}]'])),
    () => signed('missing time', JSON.stringify({ ...VALID, createdAtMs: undefined })),
    () => {
      const body = Buffer.from(JSON.stringify({ ...VALID, correlationId: `req-${int(1e9)}` }));
      const digest = signBody(body, secret);
      const odd = pick<Record<string, string>>([
        {},
        { 'x-payload-digest': digest.toUpperCase().slice(1) },
        { 'x-payload-digest': `${digest.slice(0, -1)}z` },
        { 'x-payload-digest': signBody(body, 'wrong-secret') },
        { 'x-payload-digest': digest, 'x-payload-digest-alg': 'HMAC_MD5_HEX' },
        { 'x-payload-digest': digest, 'x-payload-digest-alg': 'HMAC_SHA512_HEX' },
        { 'x-payload-digest': `${digest}, ${digest}` },
        { 'x-payload-digest': ' '.repeat(64) },
      ]);
      return { kind: 'odd signature headers', body, headers: { 'content-type': 'application/json', ...odd } };
    },
    () => {
      const body = Buffer.from(JSON.stringify({ ...VALID, correlationId: `req-${int(1e9)}` }));
      const contentType = pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/jsonx',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
      ]);
      return { kind: 'odd content type', body, headers: { 'content-type': contentType, 'x-payload-digest': signBody(body, secret) } };
    },
    () => ({ kind: 'no body, no content type, a digest', body: Buffer.alloc(0), headers: { 'x-payload-digest': signBody('x', secret) } }),
    () => signed('a time years in the future', JSON.stringify({ ...VALID, createdAtMs: `20${40 + int(50)}-01-01 00:00:00.000` })),
    () => {
      const path = pick(['/applicants/a%00b', `/applicants/${'a'.repeat(600)}`, '/applicants/%E0%A4%A']);
      return { kind: 'odd applicant path', method: 'GET', path, body: Buffer.alloc(0), headers: { authorization: `Bearer ${adminToken}` } };
    },
    () => {
      const filter = pick<Record<string, unknown>>([
        { applicantId: 'a\u0000b' },
        { type: '\u0000' },
        { cursor: 'a\u0000' },
        { cursor: Buffer.from('["2026-01-01T00:00:00Z","evt\u0000"]').toString('base64url') },
        { since: '0000-01-01' },
        { until: '99999-01-01T00:00:00Z' },
        { limit: -1 },
        { status: 'everything' },
      ]);
      const body = Buffer.from(JSON.stringify(filter));
      return {
        kind: 'odd replay filter',
        path: '/admin/replay',
        body,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      };
    },
    () => ({
      kind: 'admin write without JSON or cross-site',
      path: '/admin/replay',
      body: Buffer.from('status=failed'),
      headers: pick<Record<string, string>>([
        { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        { authorization: `Bearer ${adminToken} junk`, 'content-type': 'application/json' },
      ]),
    }),
  ];
  return () => pick(generators)();
}
