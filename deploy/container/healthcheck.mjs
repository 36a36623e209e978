/* global fetch, AbortSignal */
// The image's HEALTHCHECK: readiness (`/readyz`) of the process in this container,
// on its operations port (every role listens there when METRICS_PORT is set, as
// the image sets it), else on its main port. Exit 0 ready, 1 not.
const env = process.env;
const port = env.METRICS_PORT || env.PORT || '3000';
const bound = env.METRICS_PORT ? env.METRICS_HOST : env.HOST;
const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
try {
  const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`, {
    signal: AbortSignal.timeout(2500),
  });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
