import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, postWebhook, webhook, withSystem } from '@kyc/test-support';

const system = withSystem({ workers: 1 });

async function scrape(): Promise<string> {
  const response = await fetch(`${system.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample line, e.g. value(text, 'kyc_jobs_total{outcome="applied"}'); 0 when absent. */
function value(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('exposes every family an operator needs', async () => {
    const text = await scrape();
    for (const name of [
      'kyc_webhooks_received_total',
      'kyc_webhook_ingest_duration_seconds',
      'kyc_queue_jobs',
      'kyc_queue_lag_seconds',
      'kyc_jobs_total',
      'kyc_job_duration_seconds',
      'kyc_job_attempts',
      'kyc_job_retries_total',
      'kyc_dead_letters_total',
      'kyc_events_duplicate_total',
      'kyc_events_stale_total',
      'kyc_redis_errors_total',
      'kyc_database_errors_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
  });

  it('moves under traffic: received by outcome, jobs, duplicates, stale events, queue depth', async () => {
    const before = await scrape();
    const newer = webhook({ createdAtMs: '2024-05-01 12:00:00.000' });
    const older = { ...newer, type: 'applicantCreated', createdAtMs: '2024-05-01 09:00:00.000' };
    await postWebhook(system.url, JSON.stringify(newer));
    await postWebhook(system.url, JSON.stringify(newer));
    await postWebhook(system.url, JSON.stringify(newer), { secret: 'wrong' });
    await system.drained();
    await postWebhook(system.url, JSON.stringify(older));
    await system.drained();
    const after = await scrape();
    const delta = (sample: string) => value(after, sample) - value(before, sample);
    expect(delta('kyc_webhooks_received_total{outcome="accepted",algorithm="HMAC_SHA256_HEX",account="default"}')).toBe(2);
    expect(delta('kyc_webhooks_received_total{outcome="duplicate",algorithm="HMAC_SHA256_HEX",account="default"}')).toBe(1);
    expect(delta('kyc_webhooks_received_total{outcome="rejected_mismatch",algorithm="none",account="default"}')).toBe(1);
    expect(delta('kyc_webhook_ingest_duration_seconds_count{outcome="accepted",account="default"}')).toBe(2);
    expect(delta('kyc_jobs_total{outcome="applied",account="default"}')).toBe(1);
    expect(delta('kyc_jobs_total{outcome="stale",account="default"}')).toBe(1);
    expect(delta('kyc_events_stale_total')).toBe(1);
    // Queue labels are the names the dashboard and Redis use; every queue has its series.
    expect(value(after, 'kyc_queue_jobs{queue="sumsub-events",shard="0",state="completed"}')).toBeGreaterThanOrEqual(2);
    expect(after).toMatch(/^kyc_queue_lag_seconds\{queue="sumsub-events",shard="0"\} \d/m);
    expect(after).not.toMatch(/queue="events"/);
    for (const queue of ['notifications', 'lifecycle'])
      expect(after).toMatch(new RegExp(`^kyc_queue_jobs\\{queue="${queue}",shard="0",state="failed"\\} \\d`, 'm'));
    expect(after).toMatch(/^kyc_process_resident_memory_bytes \d+/m);
  });
});
