import { signBody } from '@kyc/sumsub-webhook';
import { generateDeliveries } from '@kyc/samples';
import { PROCESS_SECRET } from '@kyc/test-support';
import type { SignedRequest } from './autocannon.ts';

/** Signed webhook requests, built before any clock starts: `count` deliveries, a `duplicates` share re-sent. */
export function signedRequests(count: number, options: { duplicates: number; shuffle: boolean; seed: number }): SignedRequest[] {
  return generateDeliveries({ count, applicants: Math.ceil(count / 10), ...options }).map(({ body }) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'x-payload-digest': signBody(body, PROCESS_SECRET),
      'x-payload-digest-alg': 'HMAC_SHA256_HEX',
    },
  }));
}
