import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { createMetricsRegistry, serveOperations } from '../src/metrics.ts';
import { readinessCheck } from '../src/readiness.ts';

describe('the operations port (METRICS_PORT)', () => {
  it('listens on METRICS_HOST, loopback unless told otherwise, not on HOST', async () => {
    const config = loadConfig({ HOST: '0.0.0.0' });
    expect(config.METRICS_HOST).toBe('127.0.0.1');
    const server = await serveOperations(createMetricsRegistry(), { port: 0, host: config.METRICS_HOST });
    try {
      expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      server.close();
    }
  });

  it('serves /metrics, /healthz and /readyz, and readiness says which dependency is down but not why', async () => {
    const log: unknown[] = [];
    const readiness = readinessCheck(
      { redis: async () => 'ok', database: async () => Promise.reject(new Error('password authentication failed for user "kyc"')) },
      { warn: (fields) => log.push(fields) },
    );
    const server = await serveOperations(createMetricsRegistry(), { port: 0, host: '127.0.0.1' }, readiness);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      const text = await ready.text();
      expect(JSON.parse(text)).toEqual({ status: 'not_ready', checks: { redis: 'ok', database: 'error' } });
      expect(text).not.toMatch(/password/);
      expect(log).toEqual([expect.objectContaining({ check: 'database' })]);
    } finally {
      server.close();
    }
  });
});
