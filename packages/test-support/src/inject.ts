import { buildApiApp, openApiQueues } from '@kyc/api';
import { type Config, createMetricsRegistry, waitUntilReady } from '@kyc/runtime';
import { pgSql, type Sql } from '@kyc/db/plain';
import { buildIngestApp } from '@kyc/ingest';
import { buildFrontApp } from '@kyc/standalone';
import { afterAll, beforeAll } from 'vitest';
import { testConfig, ADMIN_TOKEN } from './env.ts';
import { type PostOptions, webhookHeaders } from './http.ts';

/** Which server: the ingest, the api, or `pnpm start`'s one port with both. */
export type AppKind = 'ingest' | 'api' | 'front';

export type App = Awaited<ReturnType<typeof buildApiApp>>;

export type InjectResult = { status: number; headers: Record<string, unknown>; json: Record<string, unknown>; body: string };

export type InjectedApp = {
  app: App;
  config: Config & { DATABASE_URL: string };
  /** The queues' Redis connection and queues, as the app writes them. */
  queues: ReturnType<typeof openApiQueues>;
  sql: Sql;
  /** One request through `app.inject()`: no socket, no port. */
  request(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<InjectResult>;
  /** A webhook signed like Sumsub signs it (override any part to break it). */
  postWebhook(body: string | Buffer, options?: PostOptions): Promise<InjectResult>;
  /** An admin call with the test admin token. */
  admin(method: string, path: string, body?: unknown): Promise<InjectResult>;
};

const BUILDERS: Record<AppKind, (deps: Parameters<typeof buildApiApp>[0]) => Promise<App>> = {
  ingest: (deps) => buildIngestApp(deps),
  api: buildApiApp,
  front: buildFrontApp,
};

function parsed(response: { statusCode: number; headers: Record<string, unknown>; body: string }): InjectResult {
  const isJson = response.body !== '' && String(response.headers['content-type']).startsWith('application/json');
  const json = isJson ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  return { status: response.statusCode, headers: response.headers, json, body: response.body };
}

/**
 * A server built exactly as its service builds it, answering through Fastify's
 * `inject()`: route behaviour without a process or a port. Its queues are on the
 * real Redis under a fresh prefix, its database is this run's (or `sql`). Close
 * it with close(); injectedApp() below ties it to a test file.
 */
export async function buildInjectedApp(
  kind: AppKind,
  options: { env?: Record<string, string>; sql?: Sql } = {},
): Promise<InjectedApp & { close(): Promise<void> }> {
  const config = testConfig(options.env);
  const queues = openApiQueues(config);
  const sql = options.sql ?? pgSql(config.DATABASE_URL, 2);
  const app = await BUILDERS[kind]({ config, sql, registry: createMetricsRegistry(), ...queues });
  await app.ready();
  // As the services start: the producer connection is up before the first request.
  if (!(await waitUntilReady(queues.redis, 10_000))) throw new Error(`Redis at ${config.REDIS_URL} did not answer`);
  const request: InjectedApp['request'] = async (method, url, { token, body, headers = {} } = {}) => {
    const all: Record<string, string> = { ...headers };
    if (token) all.authorization = `Bearer ${token}`;
    // Raw bodies (a string, a Buffer) go as given, headers and all; anything else as JSON.
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    if (body !== undefined && !raw) all['content-type'] ??= 'application/json';
    const payload = body === undefined ? undefined : raw ? body : JSON.stringify(body);
    return parsed(await app.inject({ method: method as 'GET', url, headers: all, ...(payload === undefined ? {} : { payload }) }));
  };
  return {
    app,
    config,
    queues,
    sql,
    request,
    postWebhook: (body, postOptions = {}) =>
      request('POST', '/webhooks/sumsub', { body: Buffer.from(body), headers: webhookHeaders(body, postOptions) }),
    admin: (method, path, body) => request(method, path, { token: ADMIN_TOKEN, body }),
    async close() {
      await app.close();
      await queues.close();
      if (!options.sql) await sql.close();
    },
  };
}

/** buildInjectedApp() as a fixture of the enclosing file or describe block; filled in beforeAll. */
export function injectedApp(kind: AppKind, options: { env?: Record<string, string> } = {}): InjectedApp {
  const handle = {} as InjectedApp & { close?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(handle, await buildInjectedApp(kind, options));
  });
  afterAll(async () => {
    await handle.close?.();
  });
  return handle;
}
