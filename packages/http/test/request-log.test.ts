import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { errorsPlugin, requestLogPlugin } from '../src/index.ts';

/** A server with the shared request log, whose lines are kept for the test. */
async function loggedApp() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger: FastifyBaseLogger = pino({ level: 'info' }, sink);
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
  await app.register(requestLogPlugin);
  await app.register(errorsPlugin);
  app.get('/applicants/:applicantId', async () => ({ ok: true }));
  return { app, requests: () => lines.filter((l) => l.msg === 'request') };
}

describe('the request log line', () => {
  it('carries the route and the path, never the query string, for known and unknown routes', async () => {
    const { app, requests } = await loggedApp();
    const known = await app.inject({ method: 'GET', url: '/applicants/abc?firstName=Zo%C3%AB&x=1' });
    expect(known.statusCode).toBe(200);
    const unknown = await app.inject({ method: 'GET', url: '/admin/audits?token=secret-in-query-0123456789#frag' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no route GET /admin/audits' });
    await app.close();

    expect(requests()).toEqual([
      expect.objectContaining({ method: 'GET', route: '/applicants/:applicantId', path: '/applicants/abc', status: 200 }),
      expect.objectContaining({ method: 'GET', path: '/admin/audits', status: 404 }),
    ]);
    expect(requests()[1]).not.toHaveProperty('route');
    const text = JSON.stringify(requests());
    for (const secret of ['firstName', 'Zo', 'secret-in-query', 'token=', '?']) expect(text).not.toContain(secret);
  });
});
