import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CHECK_STATUSES, type ReadinessCheck, readinessAnswer } from '@kyc/runtime';

const Health = Type.Object({ status: Type.Literal('ok') });
const Check = Type.Union(CHECK_STATUSES.map((s) => Type.Literal(s)));
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Check, {
    description:
      'ok, error or pending per dependency (the details are in the log); sumsubApi is advisory: ok, unauthorized (401/403 from Sumsub) or off (no token), and never makes the service not ready',
  }),
});

/** `checks`: what /readyz asks of this service's dependencies, for its OpenAPI summary. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ readiness: ReadinessCheck; checks: string }> = async (
  app,
  { readiness, checks },
) => {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    { schema: { summary: `Readiness: ${checks}`, tags: ['health'], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const { code, body } = readinessAnswer(await readiness());
      return reply.code(code).send(body);
    },
  );
};
