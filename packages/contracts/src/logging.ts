// Logger options both services use (plain pino options, so this package needs no
// pino). Nothing should log secrets, but redaction is the second line of defence:
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

export function loggerOptions(level: string, name: string) {
  return { level, name, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
}
