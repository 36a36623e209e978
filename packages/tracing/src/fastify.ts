import type { Span } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';

/** Probes and scrapes: no span (they would outnumber the requests worth tracing). */
export const IGNORED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * @fastify/otel puts the request's URL on its span; a path can hold an applicant
 * id and a query an external user id. The span keeps the route's template
 * (`/applicants/:applicantId`) instead, and the path itself (never the query)
 * only with TRACE_APPLICANT_IDS=1.
 */
export function fastifyRequestHook(applicantIds: boolean) {
  return (span: Span, request: FastifyRequest): void => {
    const route = request.routeOptions.url ?? 'unmatched';
    span.setAttribute('url.path', applicantIds ? (request.url.split('?')[0] ?? route) : route);
    span.updateName(`${request.method} ${route}`);
  };
}
