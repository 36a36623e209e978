import { asyncLogger, type Config, type ReadinessCheck, tracing } from '@kyc/runtime';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { errorsPlugin, sendError } from './plugins/errors.ts';
import { requestLogPlugin } from './plugins/request-log.ts';
import { serverOptions } from './server.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The /readyz check (also served on the operations port). */
    readiness: ReadinessCheck;
  }
}

/**
 * A Fastify server as every HTTP service of this system runs it: the logger
 * (asynchronous destination, flushed on close), the connection limits, one log
 * line per request, one error shape and (with tracing on) a span per request. Routes are registered by the caller;
 * nothing here opens a connection.
 */
export async function createHttpApp(config: Config, name: string): Promise<FastifyInstance> {
  const log = asyncLogger(config.LOG_LEVEL, name);
  // A pino logger is a Fastify logger; typed as the base one so plugins and routes keep Fastify's default types.
  const logger: FastifyBaseLogger = log.logger;
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...serverOptions(config, sendError),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = config.MAX_CONNECTIONS;
  app.addHook('onClose', async () => log.flush());
  // First, so it sees every route: a server span per request, continuing the caller's traceparent.
  const traced = tracing();
  if (traced) await app.register(traced.fastifyPlugin);
  await app.register(requestLogPlugin);
  await app.register(errorsPlugin);
  return app;
}

/** The address a test or banner can call, whatever interface the server listens on. */
export function reachableUrl(address: string): string {
  return address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
}
