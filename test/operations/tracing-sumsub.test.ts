import {
  type CollectedSpan,
  type FakeSumsub,
  fixtureJson,
  freePort,
  type OtlpCollector,
  postWebhook,
  PROCESS_SECRET,
  startFakeSumsub,
  startOtlpCollector,
  startProcessSystem,
  webhook,
} from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedReview } from '../sumsub-api/events.ts';

// The rest of one webhook's trace (test/operations/tracing.test.ts has its
// spine): the worker's calls to Sumsub's API as HTTP client spans in the
// webhook's trace, with the applicant id in their URL only under
// TRACE_APPLICANT_IDS=1; and the intake and job-duration histograms naming,
// as OpenMetrics exemplars, traces the collector received. In both
// deployments: the split one (ingest and worker processes, each its own
// /metrics) and `pnpm start` (the worker in a thread, one /metrics).

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';
const DOCUMENTS_PATH = '/resources/applicants/{applicantId}/requiredIdDocsStatus';

let collector: OtlpCollector;
let fake: FakeSumsub;
beforeAll(async () => {
  collector = await startOtlpCollector();
  fake = await startFakeSumsub();
});
afterAll(async () => {
  await fake?.stop();
  await collector?.stop();
});

type Scrape = { contentType: string; text: string };
const scrape = async (port: number, accept?: string): Promise<Scrape> => {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: accept ? { accept } : {} });
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
};

/** The trace ids the exemplars of one histogram name. */
const exemplarTraces = (text: string, histogram: string): string[] =>
  [...text.matchAll(new RegExp(`^${histogram}_bucket\\{[^}]*\\} \\d+ # \\{trace_id="([0-9a-f]{32})"\\} `, 'gm'))].map((m) => String(m[1]));

/** The Sumsub API call the RED review caused: a GET client span with Sumsub's answer. */
const documentsCall = (spans: CollectedSpan[]) =>
  spans.find((s) => s.kind === 'client' && String(s.attributes['url.template'] ?? '') === DOCUMENTS_PATH);

const deployments = [
  { name: 'the split deployment, applicant ids off (the default)', front: 'ingest', applicantIds: false },
  { name: '`pnpm start`, TRACE_APPLICANT_IDS=1', front: 'standalone', applicantIds: true },
] as const;

describe.each(deployments)('Sumsub API spans and exemplars: $name', ({ front, applicantIds }) => {
  let system: Awaited<ReturnType<typeof startProcessSystem>>;
  let frontMetrics: number;
  let workerMetrics: number;
  beforeAll(async () => {
    frontMetrics = await freePort();
    system = await startProcessSystem(`trace-api-${front}`, {
      workers: 0,
      front,
      frontEnv: { METRICS_PORT: String(frontMetrics) },
      env: {
        ...fake.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        TRACE_APPLICANT_IDS: applicantIds ? '1' : '0',
      },
    });
    // The split deployment's worker serves its own /metrics; `pnpm start` merges its thread's into the front's.
    workerMetrics = front === 'ingest' ? await freePort() : frontMetrics;
    if (front === 'ingest') system.addWorker({ METRICS_PORT: String(workerMetrics) });
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
  });

  it("puts the worker's Sumsub API call in the webhook's trace, and both histograms name traces the collector has", async () => {
    const payload = webhook(completedReview(1, 'RED', { reviewRejectType: 'RETRY', rejectLabels: ['DOCUMENT_PAGE_MISSING'] }));
    const applicantId = String(payload.applicantId);
    fake.setDocuments(applicantId, fixtureJson('requiredIdDocsStatus-red.json'));
    const answer = await postWebhook(system.url, JSON.stringify(payload), { secret: PROCESS_SECRET });
    expect(answer.status).toBe(200);

    // The webhook's trace: the one whose consumer span applied this event.
    await expect
      .poll(() => collector.spans.find((s) => s.kind === 'consumer' && s.attributes['kyc.event_id'] === answer.json.eventId)?.traceId, {
        timeout: 30_000,
      })
      .toMatch(/^[0-9a-f]{32}$/);
    const traceId = String(collector.spans.find((s) => s.attributes['kyc.event_id'] === answer.json.eventId)?.traceId);
    await expect.poll(() => documentsCall(collector.trace(traceId)) !== undefined, { timeout: 30_000 }).toBe(true);
    const trace = collector.trace(traceId);
    expect(trace.some((s) => s.kind === 'server' && s.attributes['http.route'] === '/webhooks/sumsub')).toBe(true);
    const call = documentsCall(trace);
    expect(call?.service).toBe('kyc-worker');
    expect(call?.attributes).toEqual(
      expect.objectContaining({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'server.address': '127.0.0.1' }),
    );
    expect(fake.calls(applicantId, 'requiredIdDocsStatus').map((r) => r.status)).toContain(200);

    // The applicant id: in the call's URL only with TRACE_APPLICANT_IDS=1, nowhere in the trace otherwise.
    const sent = `/resources/applicants/${applicantId}/requiredIdDocsStatus`;
    expect(call?.attributes['url.path']).toBe(applicantIds ? sent : DOCUMENTS_PATH);
    expect(call?.attributes['url.full']).toBe(`${fake.env.SUMSUB_API_URL}${applicantIds ? sent : DOCUMENTS_PATH}`);
    if (!applicantIds) expect(JSON.stringify(trace)).not.toContain(applicantId);
    // Payload fields never, whatever TRACE_APPLICANT_IDS says.
    for (const field of ['inspectionId', 'correlationId', 'externalUserId']) {
      expect(JSON.stringify(trace)).not.toContain(String(payload[field]));
    }

    // Exemplars, in OpenMetrics when asked for it: the intake's names this webhook's trace (the only one sent here).
    const intake = await scrape(frontMetrics, OPENMETRICS);
    expect(intake.contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(intake.text.endsWith('# EOF\n')).toBe(true);
    expect(exemplarTraces(intake.text, 'kyc_webhook_ingest_duration_seconds')).toEqual([traceId]);
    // The job duration's names the same trace, whose consumer span the collector received.
    await expect
      .poll(async () => exemplarTraces((await scrape(workerMetrics, OPENMETRICS)).text, 'kyc_job_duration_seconds'), { timeout: 10_000 })
      .toEqual([traceId]);
    expect(collector.trace(traceId).some((s) => s.kind === 'consumer' && s.service === 'kyc-worker')).toBe(true);

    // Prometheus text otherwise: no exemplar, counters named as before.
    const plain = await scrape(frontMetrics);
    expect(plain.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(plain.text).not.toContain('# {');
    expect(plain.text).toMatch(/^kyc_webhooks_received_total\{/m);
  }, 90_000);
});
