import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ADMIN_TOKEN, REPO_ROOT_URL, requireTool, webhook, withSystem } from '@kyc/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

// The alert rules and the Grafana dashboard ship with the service: they must name
// only metrics it really exports, and the rules must do what their tests say.
const run = promisify(execFile);
const deploy = (file: string) => new URL(`deploy/${file}`, REPO_ROOT_URL);
const system = withSystem({ workers: 1 });

/** Every metric name the running system exports (a histogram also as _bucket, _sum, _count). */
let exported: Set<string>;
beforeAll(async () => {
  await system.post(webhook()); // so the worker's metrics have series
  const text = await (await fetch(`${system.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
  exported = new Set();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exported.add(String(name));
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
  }
});

const metricNames = (expressions: string[]) => [...new Set(expressions.flatMap((e) => e.match(/\bkyc_[a-z0-9_]+/g) ?? []))];

describe('deploy/prometheus/alerts.yml', () => {
  it('passes promtool check rules and its unit tests (promtool test rules)', async (context) => {
    const promtool = requireTool(context, 'promtool');
    const check = await run(promtool, ['check', 'rules', deploy('prometheus/alerts.yml').pathname]);
    expect(check.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const tests = await run(promtool, ['test', 'rules', deploy('prometheus/alerts.test.yml').pathname]);
    expect(tests.stdout).toMatch(/SUCCESS/);
  });

  it('names only exported metrics', () => {
    const names = metricNames([readFileSync(deploy('prometheus/alerts.yml'), 'utf8')]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });
});

type Dashboard = { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
const dashboard = () => JSON.parse(readFileSync(deploy('grafana/kyc-webhooks.json'), 'utf8')) as Dashboard;

describe('deploy/grafana/kyc-webhooks.json', () => {
  it('is a dashboard whose every query names exported metrics', () => {
    const expressions = dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(expressions.length).toBeGreaterThan(10);
    const names = metricNames(expressions);
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('has a row for each of the three processes, each with its readiness', () => {
    const { panels } = dashboard();
    const processes: [string, string][] = [
      ['Ingest', 'pnpm start:ingest'],
      ['Worker', 'pnpm start:worker'],
      ['API', 'pnpm start:api'],
    ];
    for (const [process, command] of processes) {
      expect(panels.filter((p) => p.type === 'row' && p.title.startsWith(`${process}:`) && p.title.includes(command))).toHaveLength(1);
    }
    const readiness = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).filter((e) => e.includes('kyc_readiness{component='));
    expect(readiness.map((e) => /component="(\w+)"/.exec(e)?.[1]).sort()).toEqual(['api', 'ingest', 'worker']);
  });
});
