import { type Logger, pino } from 'pino';
import { tracing } from './tracing.ts';

// Logger options both services use. Nothing should log secrets, but redaction is the second line of defence:
// credentials, digests and clientComment (Sumsub: may hold private information)
// are censored wherever they turn up.
export const REDACT_PATHS = Object.freeze([
  'req.headers.authorization',
  'req.headers["x-payload-digest"]',
  'headers.authorization',
  'headers["x-payload-digest"]',
  'secret',
  'secrets',
  'token',
  'clientComment',
  '*.clientComment',
  '*.*.clientComment',
  'reviewResult.clientComment',
  'payload.reviewResult.clientComment',
  'rawBody',
  '*.rawBody',
]);

/**
 * The redaction a flat object of scalars can need: REDACT_PATHS' top-level names.
 * The wildcard paths make pino clone every object it logs to look two levels
 * down (about 17 KB and a tenth of intake's CPU per request line, measured with
 * a sampling heap profile); a line built only from scalars has nothing down there.
 */
export function flatRedaction() {
  return { paths: REDACT_PATHS.filter((path) => !/[.[*]/.test(path)), censor: '[redacted]' };
}

/**
 * With tracing on, every line written inside a span carries its trace_id and
 * span_id (a mixin, so a logger made before a span started still tags it).
 */
export function loggerOptions(level: string, name: string) {
  const traced = tracing();
  return {
    level,
    name,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    ...(traced ? { mixin: () => traced.logFields() } : {}),
  };
}

/**
 * A logger whose lines are written off the request path: serialised at once,
 * written by the event loop in batches (pino's asynchronous destination, flushed
 * synchronously on exit and by `flush()` at shutdown). A synchronous write per
 * request line costs intake about a quarter of its throughput on two cores
 * (docs/benchmarks.md).
 */
export function asyncLogger(level: string, name: string): { logger: Logger; flush: () => void } {
  const destination = pino.destination({ sync: false });
  return { logger: pino(loggerOptions(level, name), destination), flush: () => destination.flushSync() };
}
