import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectedApp } from '@kyc/test-support';

// `pnpm start`'s one port, built as it runs and asked through inject(): the
// document is the app's, no process or port is needed.
const front = injectedApp('front');
let document: OpenAPIV3.Document;
beforeAll(async () => {
  document = (await front.request('GET', '/docs/json')).json as unknown as OpenAPIV3.Document;
});

const EXPECTED: Record<string, Record<string, string[]>> = {
  '/webhooks/sumsub': { post: ['200', '400', '401', '404', '413', '415', '503'] },
  '/webhooks/sumsub/{account}': { post: ['200', '400', '401', '404', '413', '415', '503'] },
  '/healthz': { get: ['200'] },
  '/readyz': { get: ['200', '503'] },
  '/applicants/{applicantId}': { get: ['200', '400', '401', '403', '404', '410'] },
  '/applicants/{applicantId}/events': { get: ['200', '400', '401', '403', '410'] },
  '/admin/events/{eventId}/replay': { post: ['200', '400', '401', '403', '404', '409', '415', '503'] },
  '/admin/replay': { post: ['200', '400', '401', '403', '415', '503'] },
  '/metrics': { get: ['200', '401', '403'] },
  '/applicants': { get: ['200', '400', '401', '403'] },
  '/reject-labels': { get: ['200', '401', '403'] },
  '/admin/endpoints': { post: ['201', '400', '401', '403', '415'], get: ['200', '401', '403'] },
  '/admin/endpoints/{id}': { delete: ['204', '400', '401', '403', '404'] },
  '/admin/endpoints/{id}/rotate-secret': { post: ['200', '400', '401', '403', '404', '415'] },
  '/admin/endpoints/{id}/enable': { post: ['200', '400', '401', '403', '404', '415'] },
  '/admin/notifications': { get: ['200', '400', '401', '403'] },
  '/admin/notifications/replay': { post: ['200', '400', '401', '403', '415'] },
  '/admin/applicants/{applicantId}/refresh': { post: ['202', '400', '401', '403', '404', '409', '415'] },
  '/admin/reconcile': { post: ['200', '400', '401', '403', '409', '415'] },
  '/admin/events': { get: ['200', '400', '401', '403'] },
  '/admin/applicants/{applicantId}': { delete: ['200', '400', '401', '403', '404'] },
  '/admin/purge': { post: ['200', '400', '401', '403', '415'] },
  '/admin/audit': { get: ['200', '400', '401', '403'] },
  '/admin/applicants/{applicantId}/jobs': { get: ['200', '400', '401', '403', '503'] },
  '/admin/events/{eventId}/job': { get: ['200', '400', '401', '403', '404', '503'] },
};

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every route with its status codes and bodies, and no dashboard internals', () => {
    expect(Object.keys(document.paths).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [path, methods] of Object.entries(EXPECTED)) {
      for (const [method, statuses] of Object.entries(methods)) {
        const operation = (document.paths[path] as Record<string, OpenAPIV3.OperationObject>)[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(Object.keys(operation?.responses ?? {}).sort(), `${method} ${path}`).toEqual([...statuses].sort());
        expect(operation?.summary, `${method} ${path}`).toBeTruthy();
        for (const [status, response] of Object.entries(operation?.responses ?? {})) {
          if (status === '204') continue; // no content, by definition
          expect((response as OpenAPIV3.ResponseObject).content, `${method} ${path} ${status}`).toBeDefined();
        }
      }
    }
  });

  it('documents the security of the protected routes', () => {
    expect(document.components?.securitySchemes).toHaveProperty('bearerAuth');
    expect(document.paths['/applicants/{applicantId}']?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/admin/replay']?.post?.security).toEqual([{ bearerAuth: [] }]);
  });

  it('serves a browsable UI at /docs', async () => {
    const response = await front.request('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/swagger-ui/i);
  });
});
