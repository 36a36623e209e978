import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  adminCall,
  type CollectedSpan,
  entryArgs,
  freePort,
  type OtlpCollector,
  postWebhook,
  PROCESS_ADMIN_TOKEN,
  PROCESS_SECRET,
  processLog,
  type Receiver,
  REPO_ROOT_URL,
  startOtlpCollector,
  startProcessSystem,
  startReceiver,
  testPrefix,
  TEST_REDIS_URL,
  TEST_SECRET,
  webhook,
} from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One webhook, one trace: from the intake's server span to the client's endpoint,
// exported over OTLP/HTTP to a collector written here, in both deployments and
// both encodings. The client's endpoint reads the traceparent it was sent.

let collector: OtlpCollector;
let receiver: Receiver;
beforeAll(async () => {
  collector = await startOtlpCollector();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.stop();
  await collector?.stop();
});

/** Pieces of the payload that must never reach a span (names, clientComment). */
const MARKERS = { externalUserId: 'user-tracing-marker-3141', clientComment: 'comment-tracing-marker-2718', firstName: 'Marker-Ada' };

const statementOf = (span: CollectedSpan) => String(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? '');

const deployments = [
  { name: 'the split deployment (ingest, api, worker processes)', front: 'ingest', workers: 1, protocol: 'http/protobuf' },
  { name: '`pnpm start` (one process, the worker in a thread)', front: 'standalone', workers: 0, protocol: 'http/json' },
] as const;

describe.each(deployments)('one trace per webhook: $name', ({ front, workers, protocol }) => {
  let system: Awaited<ReturnType<typeof startProcessSystem>>;
  let secret: string;
  beforeAll(async () => {
    system = await startProcessSystem(`trace-${front}`, {
      workers,
      front,
      env: {
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        NOTIFY_ALLOW_PRIVATE: '1',
        NOTIFY_RELAY_INTERVAL_MS: '50',
      },
    });
    const created = await adminCall(system.apiUrl, 'POST', '/admin/endpoints', { url: receiver.url }, PROCESS_ADMIN_TOKEN);
    expect(created.status).toBe(201);
    secret = created.json.secret as string;
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('spans intake, queue, worker, SQL, relay and delivery, and the delivery carries its traceparent', async () => {
    receiver.setSecrets([secret]);
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      externalUserId: MARKERS.externalUserId,
      info: { firstName: MARKERS.firstName },
      reviewResult: { reviewAnswer: 'GREEN', clientComment: MARKERS.clientComment },
    });
    const applicantId = String(payload.applicantId);
    const answer = await postWebhook(system.url, JSON.stringify(payload), { secret: PROCESS_SECRET });
    expect(answer.status).toBe(200);

    await expect
      .poll(() => receiver.accepted().find((m) => m.body?.data.applicantId === applicantId)?.traceparent, { timeout: 30_000 })
      .toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const delivered = receiver.accepted().find((m) => m.body?.data.applicantId === applicantId);
    const [, traceId, parentId] = String(delivered?.traceparent).split('-');

    const has = (spans: CollectedSpan[]) => ({
      server: spans.some((s) => s.kind === 'server' && s.attributes['http.route'] === '/webhooks/sumsub'),
      enqueue: spans.some((s) => s.kind === 'producer' && s.name === 'enqueue sumsub-events'),
      consumer: spans.some((s) => s.kind === 'consumer' && s.service === 'kyc-worker' && s.name.includes('sumsub-events')),
      apply: spans.some((s) => s.kind === 'client' && statementOf(s).includes('kyc_apply_events')),
      relay: spans.some((s) => s.kind === 'producer' && s.name === 'relay notifications'),
      delivery: spans.some((s) => s.kind === 'consumer' && s.name.includes('notifications')),
      post: spans.some((s) => s.kind === 'client' && s.spanId === parentId),
    });
    await expect
      .poll(() => has(collector.trace(String(traceId))), { timeout: 30_000 })
      .toEqual({ server: true, enqueue: true, consumer: true, apply: true, relay: true, delivery: true, post: true });

    const spans = collector.trace(String(traceId));
    const consumer = spans.find((s) => s.kind === 'consumer' && s.name.includes('sumsub-events'));
    expect(consumer?.attributes).toEqual(
      expect.objectContaining({ 'kyc.event_id': answer.json.eventId, 'kyc.event_type': 'applicantReviewed', 'kyc.outcome': 'applied' }),
    );
    // Applicant ids only with TRACE_APPLICANT_IDS=1; payload fields never; no URL path of the receiver.
    const exported = JSON.stringify(spans);
    for (const marker of [...Object.values(MARKERS), applicantId, new URL(receiver.url).pathname.slice(1) || '\u0000']) {
      expect(exported).not.toContain(marker);
    }
    expect(collector.contentTypes).toContain(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');

    // Log lines carry the trace: the intake's request line and the worker's job line.
    await expect
      .poll(() => {
        const lines = processLog(system.dir)
          .split('\n')
          .filter((line) => line.includes(`"trace_id":"${traceId}"`));
        return { request: lines.some((l) => l.includes('"msg":"request"')), job: lines.some((l) => l.includes('"msg":"job"')) };
      })
      .toEqual({ request: true, job: true });
  }, 90_000);
});

/** The modules a process loaded, as test/fixtures/tracing/record-modules.mjs lists them. */
async function modulesLoadedByIngest(extraEnv: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-modules-'));
  const file = path.join(dir, 'modules.txt');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', new URL('test/fixtures/tracing/record-modules.mjs', REPO_ROOT_URL).pathname, ...entryArgs('ingest')],
    {
      cwd: new URL('.', REPO_ROOT_URL).pathname,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: testPrefix(),
        SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
        KYC_MODULES_FILE: file,
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await expect
    .poll(
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
  expect((await postWebhook(url, JSON.stringify(webhook()))).status).toBe(200);
  child.kill('SIGTERM');
  await exited;
  return readFileSync(file, 'utf8').split('\n');
}

/**
 * A module of OpenTelemetry's SDK, exporters or instrumentations, of an add-on for
 * it, or of @kyc/tracing. Not @opentelemetry/api, the no-op facade prom-client
 * itself loads, with or without tracing (pnpm's store folder names are not matched).
 */
const OPEN_TELEMETRY = /node_modules\/(@opentelemetry\/(?!api\/)|bullmq-otel\/|@fastify\/otel\/)|packages\/tracing\//;

describe('tracing off', () => {
  it('loads nothing of OpenTelemetry but the API prom-client loads anyway (no SDK, instrumentation or exporter)', async () => {
    const off = await modulesLoadedByIngest({});
    expect(off.some((m) => m.includes('packages/ingest/dist/main.js'))).toBe(true);
    expect(off.filter((m) => OPEN_TELEMETRY.test(m))).toEqual([]);
  }, 60_000);

  it('and with an OTLP endpoint configured, the same intake loads the SDK', async () => {
    const idle = await startOtlpCollector();
    try {
      const on = await modulesLoadedByIngest({ OTEL_EXPORTER_OTLP_ENDPOINT: idle.url });
      expect(on.filter((m) => OPEN_TELEMETRY.test(m))).toEqual(
        expect.arrayContaining([expect.stringMatching(/sdk-trace-node/), expect.stringMatching(/bullmq-otel/)]),
      );
    } finally {
      await idle.stop();
    }
  }, 60_000);
});
