import { openApiQueues } from '@kyc/api';
import { createMetricsRegistry, loadConfig } from '@kyc/runtime';
import { pgSql } from '@kyc/db/plain';
import { buildFrontApp } from '@kyc/standalone';

/**
 * The OpenAPI document of the whole HTTP surface (`pnpm start`'s one port: the
 * ingest's routes and the api's), read from the app built as it runs, without
 * listening. No request is made: the database pool never connects, and the
 * queues' Redis client is closed before it is needed.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SUMSUB_WEBHOOK_SECRET: 'openapi-document-only',
    // The Sumsub API routes are registered either way; with a token they are all reachable.
    SUMSUB_APP_TOKEN: 'openapi-document-only',
    SUMSUB_SECRET_KEY: 'openapi-document-only',
  });
  const opened = openApiQueues(config);
  const sql = pgSql('postgresql://openapi-document-only@127.0.0.1:1/none', 1);
  try {
    const app = await buildFrontApp({ config, sql, registry: createMetricsRegistry(), ...opened });
    await app.ready();
    const document = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return document;
  } finally {
    await opened.close();
    await sql.close();
  }
}

/** docs/openapi.json as committed: two-space JSON with a final newline. */
export async function renderOpenApi(): Promise<string> {
  return `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
}
