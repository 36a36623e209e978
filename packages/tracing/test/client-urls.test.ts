import { describe, expect, it } from 'vitest';
import { apiPath, apiUrlAttributes } from '../src/client-urls.ts';

// A Sumsub API call's span: the applicant id only with TRACE_APPLICANT_IDS=1,
// never an external user id or the query. The spans themselves, exported by a
// running worker, are checked in test/operations/tracing-sumsub.test.ts.

const ORIGIN = 'https://api.sumsub.com';

describe('Sumsub API paths on spans', () => {
  it.each([
    ['/resources/applicants/65a1b2c3d4/requiredIdDocsStatus', '/resources/applicants/{applicantId}/requiredIdDocsStatus'],
    ['/resources/applicants/65a1b2c3d4/status', '/resources/applicants/{applicantId}/status'],
    ['/resources/applicants/65a1b2c3d4/one', '/resources/applicants/{applicantId}/one'],
    ['/resources/moderationStates/-;applicantId=65a1b2c3d4', '/resources/moderationStates/-;applicantId={applicantId}'],
    ['/resources/applicants/-;externalUserId=user-42/one', '/resources/applicants/-;externalUserId={value}/one'],
  ])('%s is %s by default', (path, template) => {
    expect(apiPath(path, false)).toBe(template);
  });

  it('keeps the applicant id with TRACE_APPLICANT_IDS=1, but never an external user id', () => {
    expect(apiPath('/resources/applicants/65a1b2c3d4/status', true)).toBe('/resources/applicants/65a1b2c3d4/status');
    expect(apiPath('/resources/moderationStates/-;applicantId=65a1b2c3d4', true)).toBe(
      '/resources/moderationStates/-;applicantId=65a1b2c3d4',
    );
    expect(apiPath('/resources/applicants/-;externalUserId=user-42/one', true)).toBe('/resources/applicants/-;externalUserId={value}/one');
  });

  it('drops the query and overwrites every URL attribute the instrumentation set', () => {
    const redacted = apiUrlAttributes(ORIGIN, '/resources/applicants/65a1b2c3d4/one?fields=info', false);
    expect(redacted).toEqual({
      'url.full': `${ORIGIN}/resources/applicants/{applicantId}/one`,
      'http.url': `${ORIGIN}/resources/applicants/{applicantId}/one`,
      'url.path': '/resources/applicants/{applicantId}/one',
      'http.target': '/resources/applicants/{applicantId}/one',
      'url.query': '',
      'url.template': '/resources/applicants/{applicantId}/one',
    });
    const kept = apiUrlAttributes(ORIGIN, '/resources/applicants/65a1b2c3d4/one?fields=info', true);
    expect(kept['url.full']).toBe(`${ORIGIN}/resources/applicants/65a1b2c3d4/one`);
    expect(kept['url.template']).toBe('/resources/applicants/{applicantId}/one');
  });
});
