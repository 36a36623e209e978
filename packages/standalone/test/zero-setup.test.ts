import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newApplicant, SAMPLES } from '@kyc/samples';
import { REPO_ROOT } from '@kyc/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryArgs, freePort, getJson, postWebhook, type RedisServer, startRedisServer, testDatabaseUrl } from '@kyc/test-support';

let dataDir: string;
let redis: RedisServer;
let port: number;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-zero-'));
  redis = await startRedisServer({ appendonly: true });
  port = await freePort();
});
afterAll(async () => {
  await redis.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `pnpm start` as a newcomer runs it: no DATABASE_URL, nothing but a data directory. */
async function startSystem(overrides: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const { DATABASE_URL: _unset, NODE_ENV: _mode, ...env } = process.env;
  const child = spawn(process.execPath, entryArgs('standalone'), {
    cwd: REPO_ROOT,
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `{kyc-zero-${port}}`,
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(() => (child.exitCode === null ? output.includes('kyc-webhooks is running') : `exited: ${output}`), {
      timeout: 60_000,
      interval: 100,
    })
    .toBe(true);
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

async function waitForRecord(url: string, token: string, check: (json: Record<string, unknown>) => boolean) {
  let last: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        const result = await getJson(url, token);
        last = result.json;
        return result.status === 200 && check(result.json);
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
  return last;
}

describe('pnpm start with nothing configured', () => {
  it('runs on the embedded database, prints what a newcomer needs, keeps data across a restart and stops cleanly', async () => {
    const first = await startSystem();
    const base = `http://127.0.0.1:${port}`;
    expect(first.output()).toContain(`POST ${base}/webhooks/sumsub`);
    expect(first.output()).toContain(`${base}/applicants/:applicantId`);
    expect(first.output()).toMatch(/embedded PostgreSQL \(PGlite\)/);
    const secrets = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as {
      webhookSecret: string;
      readToken: string;
    };
    expect(first.output()).toContain(`SUMSUB_WEBHOOK_SECRET=${secrets.webhookSecret}`);

    const ctx = newApplicant(new Date('2026-03-01T10:00:00Z'));
    const green = JSON.stringify(SAMPLES.green(ctx));
    expect((await postWebhook(base, green, { secret: secrets.webhookSecret })).status).toBe(200);
    const url = `${base}/applicants/${ctx.applicantId}`;
    await waitForRecord(url, secrets.readToken, (r) => (r.review as { reviewAnswer?: string } | null)?.reviewAnswer === 'GREEN');
    expect(await stop(first.child)).toBe(0);

    const second = await startSystem();
    // The generated secret was kept: the same one is in use after the restart.
    expect(second.output()).toContain(`SUMSUB_WEBHOOK_SECRET=${secrets.webhookSecret}`);
    const again = await waitForRecord(url, secrets.readToken, () => true);
    expect(again).toMatchObject({ applicantId: ctx.applicantId, reviewStatus: 'completed', review: { reviewAnswer: 'GREEN' } });
    const later = JSON.stringify(SAMPLES['red-final']({ ...ctx, at: new Date('2026-03-01T11:00:00Z') }));
    expect((await postWebhook(base, later, { secret: secrets.webhookSecret })).status).toBe(200);
    await waitForRecord(url, secrets.readToken, (r) => (r.review as { reviewAnswer?: string } | null)?.reviewAnswer === 'RED');
    expect(await stop(second.child)).toBe(0);
  });
});

describe('pnpm start with secrets supplied (NODE_ENV unset)', () => {
  it('never prints a supplied secret or token; prints only what it generated, and where it is kept', async () => {
    const supplied = {
      SUMSUB_WEBHOOK_SECRET: 'supplied-webhook-secret-do-not-print',
      API_ADMIN_TOKEN: 'supplied-admin-token-do-not-print',
    };
    const started = await startSystem({ ...supplied, DATABASE_URL: testDatabaseUrl() });
    try {
      const output = started.output();
      expect(output).not.toContain(supplied.SUMSUB_WEBHOOK_SECRET);
      expect(output).not.toContain(supplied.API_ADMIN_TOKEN);
      const kept = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as { readToken: string };
      expect(output).toContain(`API_READ_TOKEN=${kept.readToken}`);
      expect(output).toContain(`kept in ${path.join(dataDir, 'dev-secrets.json')}`);
      expect(output).not.toMatch(/SUMSUB_WEBHOOK_SECRET=|API_ADMIN_TOKEN=/);
    } finally {
      expect(await stop(started.child)).toBe(0);
    }
  });
});

describe('pnpm start on PostgreSQL', () => {
  it('applies events in its worker thread, reports the thread in /metrics on both ports, and stops cleanly', async () => {
    const token = 'thread-admin-token';
    const secret = 'thread-webhook-secret';
    const metricsPort = await freePort();
    const started = await startSystem({
      DATABASE_URL: testDatabaseUrl(),
      SUMSUB_WEBHOOK_SECRET: secret,
      API_ADMIN_TOKEN: token,
      API_READ_TOKEN: 'thread-read-token-0123456789',
      METRICS_PORT: String(metricsPort),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      expect(started.output()).toMatch(/database: +PostgreSQL/);
      const ctx = newApplicant(new Date('2026-03-02T10:00:00Z'));
      expect((await postWebhook(base, JSON.stringify(SAMPLES.green(ctx)), { secret })).status).toBe(200);
      await waitForRecord(
        `${base}/applicants/${ctx.applicantId}`,
        token,
        (r) => (r.review as { reviewAnswer?: string } | null)?.reviewAnswer === 'GREEN',
      );
      const scrapes = [
        await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()),
        await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()),
      ];
      for (const text of scrapes) {
        // The thread's own series (jobs it ran, its readiness) beside the main thread's.
        expect(text).toMatch(/^kyc_jobs_total\{[^}]*outcome="applied"[^}]*\} 1$/m);
        expect(text).toMatch(/^kyc_readiness\{component="worker",check="consuming"\} 1$/m);
        expect(text).toMatch(/^kyc_readiness\{component="ingest",check="redis"\} 1$/m);
        expect(text).toMatch(/^kyc_webhooks_received_total\{/m);
        expect(text).toMatch(/^kyc_process_start_time_seconds \d+/m);
      }
    } finally {
      expect(await stop(started.child)).toBe(0);
    }
  });
});
