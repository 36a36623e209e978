import { describe, expect, it } from 'vitest';
import { authHeaders, signRequest } from '../src/index.ts';

describe("Sumsub's request signature", () => {
  it('reproduces the public test vector (thrownew/go-sumsub signer_test.go, as in shared/reference/sumsub-api.md)', () => {
    const body = '{"userId":"1000","levelName":"default","ttl":60}';
    expect(signRequest('api_secret', 1712760187, 'POST', '/resources/accessTokens', body)).toBe(
      '260c8893fb0317e8a714ce3bce9c16821649f1e27a49bd7d926fcf23942628c0',
    );
  });

  it('signs the method upper-cased, the query as sent, and nothing for an empty body', () => {
    const path = '/resources/applicants/5b594ade0a975a36c9349e66/one?fields=info';
    expect(signRequest('s', 1, 'get', path)).toBe(signRequest('s', 1, 'GET', path));
    expect(signRequest('s', 1, 'GET', path, '')).toBe(signRequest('s', 1, 'GET', path));
    expect(signRequest('s', 1, 'GET', path)).not.toBe(signRequest('s', 1, 'GET', path.replace('info', 'review')));
    expect(signRequest('s', 1, 'GET', path)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends the timestamp in Unix seconds, the one it signed', () => {
    const headers = authHeaders('sbx:token', 'secret', 'GET', '/resources/status/api', undefined, 1_712_760_187_999);
    expect(headers['X-App-Access-Ts']).toBe('1712760187');
    expect(headers['X-App-Access-Sig']).toBe(signRequest('secret', 1712760187, 'GET', '/resources/status/api'));
    expect(headers['X-App-Token']).toBe('sbx:token');
  });
});
