// What an outgoing request's span keeps of its URL. Deliveries (node:http) go
// to clients' endpoints, whose URLs may carry a token: the origin only. fetch
// (undici) calls Sumsub's API, whose paths name the applicant
// (/resources/applicants/<id>/requiredIdDocsStatus): the path's template, with
// the id itself only under TRACE_APPLICANT_IDS=1; never the query.

const APPLICANT_SEGMENT = /^(\/resources\/applicants\/)([^/?#]+)/;
const APPLICANT_PARAMETER = /(;applicantId=)([^/;?#]+)/;
/** A path segment that may name a person (an external user id, as in `-;externalUserId=…`). */
const OTHER_PARAMETER = /;[A-Za-z]+=[^/;?#]*/g;

/**
 * An API path with the applicant id replaced by `{applicantId}` (kept with
 * `applicantIds`), and any other `;name=value` lookup (an external user id,
 * as in `/resources/applicants/-;externalUserId=…/one`) by `{value}` always.
 */
export function apiPath(path: string, applicantIds: boolean): string {
  const placeholder = applicantIds ? undefined : '{applicantId}';
  return path
    .replace(APPLICANT_SEGMENT, (all, head: string, segment: string) =>
      segment.startsWith('-;') || !placeholder ? all : `${head}${placeholder}`,
    )
    .replace(APPLICANT_PARAMETER, (all, head: string) => (placeholder ? `${head}${placeholder}` : all))
    .replace(OTHER_PARAMETER, (parameter) => (parameter.startsWith(';applicantId=') ? parameter : `${parameter.split('=')[0]}={value}`));
}

/** The URL attributes of a span: the origin only. */
export function originAttributes(origin: string): Record<string, string> {
  return { 'url.full': origin, 'http.url': origin, 'url.path': '/', 'http.target': '/', 'url.query': '' };
}

/** The URL attributes of a Sumsub API call's span: the path (never the query), its applicant id only with TRACE_APPLICANT_IDS=1. */
export function apiUrlAttributes(origin: string, pathWithQuery: string, applicantIds: boolean): Record<string, string> {
  const sent = pathWithQuery.split('?')[0] ?? '';
  const path = apiPath(sent, applicantIds);
  const full = `${origin}${path}`;
  return {
    'url.full': full,
    'http.url': full,
    'url.path': path,
    'http.target': path,
    'url.query': '',
    'url.template': apiPath(sent, false),
  };
}
