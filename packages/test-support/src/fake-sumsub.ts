import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for Sumsub's API as its documentation describes it
// (../shared/reference/sumsub-api.md): every request must carry X-App-Token,
// X-App-Access-Ts (Unix seconds, within a minute of now) and X-App-Access-Sig
// (lowercase hex HMAC-SHA256 of ts + METHOD + path with query + body) or it
// gets 401 with Sumsub's error envelope. The check below is written from the
// documentation, independently of the client under test. It serves the
// documented shapes (test/fixtures/sumsub-api) and can be told to fail.

export const fixtureJson = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/sumsub-api/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** What the next requests get instead of an answer: a status (429 with an optional Retry-After), or no answer at all. */
export type Failure = { status: number; retryAfter?: string } | 'hang';

/** `status` 0: no answer was given (a hang). */
export type SeenRequest = { at: number; method: string; path: string; status: number; authorized: boolean };

type Applicant = { status?: Record<string, unknown>; documents?: Record<string, unknown>; clarification?: Record<string, unknown> };

function errorBody(code: number, description: string, errorCode?: number, errorName?: string) {
  return {
    description,
    code,
    correlationId: randomBytes(16).toString('hex'),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorName === undefined ? {} : { errorName }),
  };
}

export async function startFakeSumsub(options: { appToken?: string; secretKey?: string } = {}) {
  const appToken = options.appToken ?? `sbx:${randomBytes(12).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
  const secretKey = options.secretKey ?? randomBytes(16).toString('hex');
  const applicants = new Map<string, Applicant>();
  const failures: Failure[] = [];
  /** Failures for one call only (the path's last segment, or `moderationStates`), used before `failures`. */
  const callFailures = new Map<string, Failure[]>();
  const callOf = (path: string) =>
    path.startsWith('/resources/moderationStates/') ? 'moderationStates' : ((path.split('?')[0] ?? '').split('/').pop() ?? '');
  const requests: SeenRequest[] = [];
  const hanging = new Set<ServerResponse>();

  /** Sumsub's authentication, as documented; an error body when it fails. */
  const authenticate = (request: IncomingMessage, path: string, body: Buffer) => {
    const token = request.headers['x-app-token'];
    const ts = request.headers['x-app-access-ts'];
    const sig = request.headers['x-app-access-sig'];
    if (typeof token !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') {
      return errorBody(401, 'Missing authentication headers', 4006);
    }
    if (!/^[a-z]{3}:[^.]+\.[^.]+$/.test(token)) return errorBody(401, 'Invalid app token format', 4000, 'app-token-invalid-format');
    if (token !== appToken) return errorBody(401, 'App token not found', 4001);
    if (!/^\d{1,12}$/.test(ts) || Math.abs(Number(ts) - Date.now() / 1000) > 60) {
      return errorBody(401, 'Request signature expired', 4004, 'app-token-request-expired');
    }
    const expected = createHmac('sha256', secretKey)
      .update(Buffer.concat([Buffer.from(`${ts}${request.method ?? ''}${path}`), body]))
      .digest('hex');
    if (sig !== expected) return errorBody(401, 'Request signature mismatch', 4003, 'app-token-signature-mismatch');
    return undefined;
  };

  const route = (path: string): { status: number; body: unknown } => {
    // "Clarify rejection reason": the id follows `-;applicantId=` in the path itself.
    const moderation = /^\/resources\/moderationStates\/-;applicantId=([^/?]+)$/.exec(path.split('?')[0] ?? '');
    if (moderation) {
      const clarification = applicants.get(decodeURIComponent(moderation[1] as string))?.clarification;
      return clarification ? { status: 200, body: clarification } : { status: 404, body: errorBody(404, 'Applicant not found') };
    }
    const match = /^\/resources\/applicants\/([^/?]+)\/(requiredIdDocsStatus|status|one)$/.exec(path.split('?')[0] ?? '');
    if (path === '/resources/status/api') return { status: 200, body: { status: 'ok' } };
    if (!match) return { status: 404, body: errorBody(404, 'Not found') };
    const applicant = applicants.get(decodeURIComponent(match[1] as string));
    const what = match[2];
    const answer = what === 'requiredIdDocsStatus' ? applicant?.documents : applicant?.status;
    if (!answer) return { status: 404, body: errorBody(404, 'Applicant not found') };
    return { status: 200, body: what === 'one' ? { id: decodeURIComponent(match[1] as string), review: answer } : answer };
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const seen = { at: Date.now(), method: request.method ?? '', path, status: 0, authorized: false };
      requests.push(seen);
      const refused = authenticate(request, path, Buffer.concat(chunks));
      const failure = refused ? undefined : (callFailures.get(callOf(path))?.shift() ?? failures.shift());
      seen.authorized = !refused;
      if (failure === 'hang') {
        hanging.add(response);
        return;
      }
      const answer = refused
        ? { status: 401, body: refused }
        : failure
          ? { status: failure.status, body: errorBody(failure.status, failure.status === 429 ? 'Too many requests' : 'Internal error') }
          : route(path);
      seen.status = answer.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure?.retryAfter) headers['retry-after'] = failure.retryAfter;
      response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    appToken,
    secretKey,
    /** Every request, in arrival order. */
    requests,
    /** The environment a service needs to use this fake. */
    env: { SUMSUB_APP_TOKEN: appToken, SUMSUB_SECRET_KEY: secretKey, SUMSUB_API_URL: url },
    /** Sets what /status (and /one's review) answers for an applicant. */
    setStatus(applicantId: string, status: Record<string, unknown>) {
      applicants.set(applicantId, { ...applicants.get(applicantId), status });
    },
    /** Sets what requiredIdDocsStatus answers for an applicant. */
    setDocuments(applicantId: string, documents: Record<string, unknown>) {
      applicants.set(applicantId, { ...applicants.get(applicantId), documents });
    },
    /** Sets what moderationStates (clarify rejection reason) answers for an applicant. */
    setClarification(applicantId: string, clarification: Record<string, unknown>) {
      applicants.set(applicantId, { ...applicants.get(applicantId), clarification });
    },
    /** The next authenticated requests fail like this, in order. */
    failNext(...next: Failure[]) {
      failures.push(...next);
    },
    /** The next authenticated requests of one call (e.g. `moderationStates`) fail like this, in order. */
    failNextCall(call: string, ...next: Failure[]) {
      callFailures.set(call, [...(callFailures.get(call) ?? []), ...next]);
    },
    /** Requests for one call of one applicant that were authorized. */
    calls: (applicantId: string, call: string) =>
      requests.filter(
        (r) =>
          r.authorized &&
          (call === 'moderationStates'
            ? r.path === `/resources/moderationStates/-;applicantId=${applicantId}`
            : r.path.includes(`/${applicantId}/${call}`)),
      ),
    async stop() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeSumsub = Awaited<ReturnType<typeof startFakeSumsub>>;
