import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DeliveryResult, deliver, newApplicant, SAMPLES } from '@kyc/samples';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import {
  ADMIN_URL,
  ADMIN_TOKEN,
  freePort,
  INSTALL_TOOLS_COMMAND,
  READ_TOKEN,
  reportedMissing,
  runSql,
  startTcpProxy,
  TEST_REDIS_URL,
  TEST_SECRET,
  testPrefix,
  within,
} from '@kyc/test-support';
import { ENGINE, engine, envArgs, exitCode, healthy, IMAGE, memoryMb, run } from './engine.ts';

// The image as operators run it: built by `pnpm container:build` (layers and the
// bootstrapped base cached between runs), each role in its own container on a
// read-only root, against this machine's Redis and PostgreSQL; then the whole
// system from deploy/compose.yaml.
// scripts/test reported the container tools missing (and the run fails at its end): skipped, saying why.
const missingTools = ['podman', 'podman-compose', 'mmdebstrap'].filter((tool) => reportedMissing().has(tool));
const skipAll = missingTools.length > 0;
if (skipAll) process.stdout.write(`container tests skipped: ${missingTools.join(', ')} missing (${INSTALL_TOOLS_COMMAND})\n`);
const runId = `${inject('runId')}-${randomBytes(3).toString('hex')}`;
const started: string[] = [];
const timings: Record<string, number> = {};

type EventsResponse = { events: { eventId: string; status: string }[] };

async function readJson<T>(url: string): Promise<{ status: number; body: T | undefined }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${READ_TOKEN}` } }).catch(() => undefined);
  if (!response) return { status: 0, body: undefined };
  return { status: response.status, body: response.ok ? ((await response.json()) as T) : undefined };
}

const readyz = async (url: string) => (await fetch(`${url}/readyz`).catch(() => undefined))?.status;

/** What every container of a run needs: its own database (created by whoever migrates first) and queue prefix. */
function roleEnv(database: string): Record<string, string> {
  return {
    DATABASE_URL: Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString(),
    REDIS_URL: TEST_REDIS_URL,
    // The test Redis keeps nothing on disk; production refuses such a Redis.
    ALLOW_UNSAFE_REDIS: '1',
    QUEUE_PREFIX: testPrefix(),
    SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    API_READ_TOKEN: READ_TOKEN,
    API_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '15000',
  };
}

type Person = ReturnType<typeof newApplicant>;

/**
 * Signed webhooks from each person, one after another, until stopped (or 500 each):
 * the traffic a SIGTERM lands in. Results collect every answer.
 */
function sendTraffic(ingest: string, people: Person[], results: DeliveryResult[]) {
  let stop = false;
  const senders = people.map(async (person, n) => {
    for (let step = 0; !stop && step < 500; step++) {
      const ctx = { ...person, at: new Date(person.at.getTime() + step * 1000 + n) };
      const body = JSON.stringify(SAMPLES[step % 2 ? 'pending' : 'on-hold'](ctx));
      results.push(await deliver({ url: ingest, secret: TEST_SECRET, algorithm: 'HMAC_SHA256_HEX' }, body));
    }
  });
  /** Stops sending; resolves when every sender's last request has its answer. */
  return async (): Promise<void> => {
    stop = true;
    await Promise.all(senders);
  };
}

/** How many acknowledged events the api does not show applied yet. */
async function unapplied(api: string, people: Person[], acked: Set<string>): Promise<number> {
  const ids = new Set<string>();
  for (const person of people) {
    const { body } = await readJson<EventsResponse>(`${api}/applicants/${person.applicantId}/events`);
    for (const event of body?.events ?? []) if (event.status === 'applied') ids.add(event.eventId);
  }
  return [...acked].filter((id) => !ids.has(id)).length;
}

/** Starts a detached container of the image on the host's network, read-only root. */
async function startRole(name: string, role: string, env: Record<string, string>): Promise<void> {
  started.push(name);
  await engine(['run', '-d', '--name', name, '--network', 'host', '--read-only', '--stop-timeout', '30', ...envArgs(env), IMAGE, role]);
}

beforeAll(async () => {
  if (skipAll) return;
  const begin = Date.now();
  const build = await run('bash', ['scripts/container-build'], {}, 25 * 60_000);
  timings.buildSeconds = Math.round((Date.now() - begin) / 1000);
  expect(build.code, build.stderr.slice(-3000)).toBe(0);
}, 25 * 60_000);

afterAll(async () => {
  // -v: each container's anonymous /data volume (the image declares it) goes with it.
  if (started.length > 0) await run(ENGINE, ['rm', '-f', '-v', ...started]);
  process.stdout.write(`container test (${ENGINE}): ${JSON.stringify(timings)}\n`);
}, 120_000);

describe.skipIf(skipAll)('the image', () => {
  it('runs as non-root, is at most 350 MB, checks /readyz, and names its roles', async () => {
    const [info] = JSON.parse(await engine(['image', 'inspect', IMAGE])) as {
      Size: number;
      Config: { User: string; Healthcheck?: { Test: string[] }; Entrypoint: string[] };
      Healthcheck?: { Test: string[] };
    }[];
    timings.imageMb = Math.round(info!.Size / 1e6);
    expect(info!.Size).toBeLessThanOrEqual(350e6);
    expect(info!.Config.User).toBe('10001:10001');
    expect(info!.Config.Entrypoint).toEqual(['tini', '--', '/app/bin/entrypoint.sh']);
    // Docker reports the health check under Config, podman beside it.
    expect((info!.Config.Healthcheck ?? info!.Healthcheck)?.Test.join(' ')).toContain('/app/bin/healthcheck.mjs');

    const id = await run(ENGINE, ['run', '--rm', '--read-only', '--entrypoint', 'id', IMAGE, '-u']);
    expect(id.stdout.trim()).toBe('10001');
    const unknown = await run(ENGINE, ['run', '--rm', '--read-only', IMAGE, 'serve']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('ingest, api, worker, migrate, start');
  });

  it('migrate, then ingest, api and worker: healthy, webhooks applied, SIGTERM loses no acknowledged event', async () => {
    const env = roleEnv(`kyc_test_${inject('runId')}_image`);
    const migrate = await run(ENGINE, ['run', '--rm', '--network', 'host', '--read-only', ...envArgs(env), IMAGE, 'migrate']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('applied: ');

    const [ingestPort, apiPort] = [await freePort(), await freePort()];
    const names = { ingest: `kyc-test-${runId}-ingest`, api: `kyc-test-${runId}-api`, worker: `kyc-test-${runId}-worker` };
    const begin = Date.now();
    await startRole(names.ingest, 'ingest', { ...env, PORT: String(ingestPort), METRICS_PORT: String(await freePort()) });
    await startRole(names.api, 'api', { ...env, PORT: String(apiPort), METRICS_PORT: String(await freePort()) });
    await startRole(names.worker, 'worker', { ...env, METRICS_PORT: String(await freePort()) });
    for (const name of Object.values(names)) await expect.poll(() => healthy(name), { timeout: 90_000, interval: 500 }).toBe(true);
    timings.healthySeconds = Math.round((Date.now() - begin) / 1000);
    const ingest = `http://127.0.0.1:${ingestPort}`;
    const api = `http://127.0.0.1:${apiPort}`;
    expect(await readyz(ingest)).toBe(200);
    expect(await readyz(api)).toBe(200);

    // Traffic from 10 applicants; SIGTERM to the ingest and the worker while it flows.
    const people = Array.from({ length: 10 }, (_, i) => newApplicant(new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    const results: DeliveryResult[] = [];
    const stopTraffic = sendTraffic(ingest, people, results);
    await expect.poll(() => results.filter((r) => r.status === 200).length, { timeout: 30_000 }).toBeGreaterThan(100);
    for (const [name, mb] of Object.entries(await memoryMb(Object.values(names)))) timings[`${name.split('-').pop()}Mb`] = mb;
    const stopped = await Promise.all([names.ingest, names.worker].map((name) => run(ENGINE, ['stop', '-t', '30', name])));
    expect(stopped.map((r) => r.code)).toEqual([0, 0]);
    await stopTraffic();
    expect(await exitCode(names.ingest)).toBe(0);
    expect(await exitCode(names.worker)).toBe(0);
    expect(results.every((r) => [200, 503, 0].includes(r.status))).toBe(true);
    const acked = new Set(results.filter((r) => r.status === 200).map((r) => String(r.eventId)));

    // A new worker drains what the stopped one left; the api container shows every acknowledged event applied.
    await startRole(`${names.worker}-2`, 'worker', { ...env, METRICS_PORT: String(await freePort()) });
    await expect.poll(() => healthy(`${names.worker}-2`), { timeout: 90_000, interval: 500 }).toBe(true);
    await expect.poll(() => unapplied(api, people, acked), { timeout: 90_000, interval: 1000 }).toBe(0);
    const record = await readJson<{ applicantId: string }>(`${api}/applicants/${people[0]!.applicantId}`);
    expect(record.body?.applicantId).toBe(people[0]!.applicantId);

    expect((await run(ENGINE, ['stop', '-t', '30', names.api, `${names.worker}-2`])).code).toBe(0);
    expect(await exitCode(names.api)).toBe(0);
    expect(await exitCode(`${names.worker}-2`)).toBe(0);
  }, 300_000);

  it('start: one process migrates, takes a webhook, serves it back, and drains on SIGTERM losing no acknowledged event', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    // An empty database: `start` migrates it itself, as `pnpm start` does (it waits for
    // the database to exist; creating it is the operator's or `migrate`'s). Info logs,
    // for the shutdown's own account of how it ended.
    const database = `kyc_test_${inject('runId')}_image_start`;
    await runSql(`CREATE DATABASE "${database}"`);
    const env = {
      ...roleEnv(database),
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
    };
    const name = `kyc-test-${runId}-start`;
    const url = `http://127.0.0.1:${port}`;
    const begin = Date.now();
    await startRole(name, 'start', env);
    await expect.poll(() => healthy(name), { timeout: 120_000, interval: 500 }).toBe(true);
    timings.startHealthySeconds = Math.round((Date.now() - begin) / 1000);
    expect(await readyz(url)).toBe(200);

    const person = newApplicant();
    const sent = await deliver({ url, secret: TEST_SECRET, algorithm: 'HMAC_SHA256_HEX' }, JSON.stringify(SAMPLES.green(person)));
    expect(sent.status).toBe(200);
    const review = async () =>
      (await readJson<{ reviewStatus: string; review: { reviewAnswer: string } | null }>(`${url}/applicants/${person.applicantId}`)).body;
    await expect
      .poll(review, { timeout: 60_000, interval: 500 })
      .toMatchObject({ reviewStatus: 'completed', review: { reviewAnswer: 'GREEN' } });

    // SIGTERM while webhooks flow. Exit 0 within the stop timeout means the process
    // drained and exited by itself: the shutdown timer (SHUTDOWN_TIMEOUT_MS) exits 1,
    // and the engine's SIGKILL after 30 s would give 137.
    const people = Array.from({ length: 5 }, (_, i) => newApplicant(new Date(Date.UTC(2026, 1, 1, 0, 0, i))));
    const results: DeliveryResult[] = [];
    const stopTraffic = sendTraffic(url, people, results);
    await expect.poll(() => results.filter((r) => r.status === 200).length, { timeout: 30_000 }).toBeGreaterThan(50);
    const stopBegin = Date.now();
    expect((await run(ENGINE, ['stop', '-t', '30', name])).code).toBe(0);
    timings.startStopSeconds = Math.round((Date.now() - stopBegin) / 1000);
    await stopTraffic();
    expect(await exitCode(name)).toBe(0);
    const logs = await run(ENGINE, ['logs', name]);
    expect(logs.stdout + logs.stderr).toContain('SIGTERM: shutting down');
    expect(logs.stdout + logs.stderr).not.toContain('shutdown timed out');
    expect(results.every((r) => [200, 503, 0].includes(r.status))).toBe(true);
    const acked = new Set(results.filter((r) => r.status === 200).map((r) => String(r.eventId)));

    // The same container started again applies whatever the stopped one left in Redis.
    await engine(['start', name]);
    await expect.poll(() => healthy(name), { timeout: 120_000, interval: 500 }).toBe(true);
    await expect.poll(() => unapplied(url, people, acked), { timeout: 90_000, interval: 1000 }).toBe(0);
    expect((await run(ENGINE, ['stop', '-t', '30', name])).code).toBe(0);
    expect(await exitCode(name)).toBe(0);
  }, 300_000);

  it("the ingest's HEALTHCHECK is its own readiness: Redis alone, no database", async () => {
    const redis = new URL(TEST_REDIS_URL);
    const proxy = await startTcpProxy(Number(redis.port || 6379), redis.hostname);
    const name = `kyc-test-${runId}-ingest-health`;
    // A database nobody listens on: the ingest must not need one to be ready.
    const nowhere = `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`;
    await startRole(name, 'ingest', {
      ...roleEnv('unused'),
      DATABASE_URL: nowhere,
      REDIS_URL: Object.assign(new URL(TEST_REDIS_URL), { host: `127.0.0.1:${proxy.port}` }).toString(),
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
    });
    try {
      await expect.poll(() => healthy(name), { timeout: 90_000, interval: 500 }).toBe(true);
      await proxy.cut();
      await expect.poll(() => healthy(name), { timeout: 60_000, interval: 500 }).toBe(false);
      await proxy.restore();
      await expect.poll(() => healthy(name), { timeout: 60_000, interval: 500 }).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 240_000);

  it('builds on BASE_IMAGE, and falls back to the bootstrapped base at once when the registry stalls', async () => {
    // The base the build used (the public image where pullable, else the bootstrapped
    // one, which the build has made by now) lies under the image.
    const chosen = await run('bash', ['scripts/container-build', '--print-base'], {}, 300_000);
    expect(chosen.code, chosen.stderr).toBe(0);
    const base =
      chosen.stdout.trim() === 'bootstrap' ? (await run('bash', ['scripts/container-base', ENGINE])).stdout.trim() : chosen.stdout.trim();
    const layers = async (image: string) =>
      JSON.parse(await engine(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image])) as string[];
    const baseLayers = await layers(base);
    expect(baseLayers.length).toBeGreaterThan(0);
    expect((await layers(IMAGE)).slice(0, baseLayers.length)).toEqual(baseLayers);

    // A registry that accepts connections and never answers: pulling from it held
    // the build for 83 s (podman retrying the TLS handshake) before the fallback.
    const sockets = new Set<Socket>();
    const stalled = createServer((socket) => sockets.add(socket.on('error', () => undefined)));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const { port } = stalled.address() as AddressInfo;
    try {
      const fallback = await within(
        run(
          'bash',
          ['scripts/container-build', '--print-base', '--build-arg', `BASE_IMAGE=127.0.0.1:${port}/library/node:20`],
          {},
          300_000,
        ),
        60_000,
        'the build script choosing a base while the registry stalls',
      );
      expect(fallback.code, fallback.stderr).toBe(0);
      expect(fallback.stdout.trim()).toBe('bootstrap');
      expect(fallback.stderr).toContain('cannot be pulled; using a bootstrapped base');
    } finally {
      for (const socket of sockets) socket.destroy();
      stalled.close();
    }
  }, 400_000);
});

/** PostgreSQL and Redis images for compose: the public ones when pullable, else built here from the bootstrapped base. */
async function serviceImages(): Promise<{ POSTGRES_IMAGE: string; REDIS_IMAGE: string }> {
  const publicImages = { POSTGRES_IMAGE: 'docker.io/library/postgres:15-bookworm', REDIS_IMAGE: 'docker.io/library/redis:7.0-bookworm' };
  let pullable = true;
  for (const image of Object.values(publicImages)) {
    if ((await run(ENGINE, ['image', 'inspect', image])).code === 0) continue;
    if ((await run(ENGINE, ['pull', '-q', image], {}, 120_000)).code !== 0) pullable = false;
  }
  if (pullable) return publicImages;
  const base = (await run('bash', ['scripts/container-base', ENGINE, 'services'], {}, 15 * 60_000)).stdout.trim();
  expect(base).toMatch(/^localhost\/kyc-webhooks-base:services/);
  const tag = `localhost/kyc-webhooks-test-services:${base.split(':')[1]}`;
  if ((await run(ENGINE, ['image', 'inspect', tag])).code !== 0) {
    const format = ENGINE === 'podman' ? ['--format', 'docker'] : [];
    await engine(
      ['build', ...format, '--build-arg', `BASE_IMAGE=${base}`, '-t', tag, '-f', 'test/container/services.Dockerfile', 'test/container'],
      600_000,
    );
  }
  return { POSTGRES_IMAGE: tag, REDIS_IMAGE: tag };
}

/** The anonymous volumes of a podman-compose project's containers. */
async function anonymousVolumes(project: string): Promise<string[]> {
  const ids = (await run('podman', ['ps', '-aq', '--filter', `label=io.podman.compose.project=${project}`])).stdout
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  const mounts = (await run('podman', ['inspect', '--format', '{{range .Mounts}}{{.Type}}:{{.Name}} {{end}}', ...ids])).stdout;
  const names = mounts
    .split(/\s+/)
    .filter((m) => m.startsWith('volume:'))
    .map((m) => m.slice('volume:'.length));
  // Named volumes (`<project>_...`) go with `down -v`; anonymous ones are 64 hex digits.
  return names.filter((name) => /^[0-9a-f]{64}$/.test(name));
}

describe.skipIf(skipAll)('deploy/compose.yaml', () => {
  it('starts the whole system (migrate first) and applies a webhook', async () => {
    const project = `kyc-test-${runId}`;
    const compose = ENGINE === 'podman' ? ['podman-compose'] : ['docker', 'compose'];
    const [ingestPort, apiPort] = [await freePort(), await freePort()];
    const env = {
      ...(await serviceImages()),
      KYC_IMAGE: IMAGE,
      INGEST_PORT: String(ingestPort),
      API_PORT: String(apiPort),
      SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
      API_READ_TOKEN: READ_TOKEN,
      API_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
    };
    const composeRun = (args: string[]) =>
      run(compose[0]!, [...compose.slice(1), '-p', project, '-f', 'deploy/compose.yaml', ...args], env, 300_000);
    const begin = Date.now();
    try {
      const up = await composeRun(['up', '-d']);
      expect(up.code, up.stderr.slice(-3000)).toBe(0);
      const ingest = `http://127.0.0.1:${ingestPort}`;
      const api = `http://127.0.0.1:${apiPort}`;
      // The api is ready only once the migrations are applied and Redis and PostgreSQL answer.
      await expect.poll(() => readyz(api), { timeout: 120_000, interval: 1000 }).toBe(200);
      await expect.poll(() => readyz(ingest), { timeout: 60_000, interval: 500 }).toBe(200);
      timings.composeReadySeconds = Math.round((Date.now() - begin) / 1000);

      const person = newApplicant();
      const sent = await deliver({ url: ingest, secret: TEST_SECRET, algorithm: 'HMAC_SHA256_HEX' }, JSON.stringify(SAMPLES.green(person)));
      expect(sent.status).toBe(200);
      const review = async () =>
        (await readJson<{ reviewStatus: string; review: { reviewAnswer: string } | null }>(`${api}/applicants/${person.applicantId}`)).body;
      await expect
        .poll(review, { timeout: 60_000, interval: 500 })
        .toMatchObject({ reviewStatus: 'completed', review: { reviewAnswer: 'GREEN' } });
    } finally {
      // podman-compose 1.0 leaves the containers' anonymous volumes (the image's /data)
      // and the project's network behind: named here, removed after `down`.
      const volumes = ENGINE === 'podman' ? await anonymousVolumes(project) : [];
      const down = await composeRun(['down', '-v', '-t', '30']);
      if (volumes.length > 0) await run('podman', ['volume', 'rm', '-f', ...volumes]);
      if (ENGINE === 'podman') await run('podman', ['network', 'rm', '-f', `${project}_default`]);
      expect(down.code, down.stderr.slice(-2000)).toBe(0);
    }
  }, 600_000);
});

type Probe = { httpGet: { port: string | number } };
type PodContainer = {
  image: string;
  envFrom?: unknown;
  env?: { name: string; value: string }[];
  ports?: unknown;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
};
type PodTemplate = { spec: { containers: PodContainer[] } };
type KubeDoc = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: { template?: PodTemplate } };

// Podman runs Kubernetes pod specs (`podman kube play`): the ingest Deployment as
// written, with its security context (non-root, read-only root, no capabilities);
// only the image, the ports and the Secret's values are this machine's.
describe.runIf(ENGINE === 'podman' && !skipAll)('deploy/kubernetes under podman kube play', () => {
  it('the ingest Deployment runs and becomes ready', async () => {
    const read = (file: string) =>
      parseAllDocuments(readFileSync(new URL(`../../deploy/kubernetes/${file}`, import.meta.url), 'utf8')).map((d) => d.toJS() as KubeDoc);
    const config = read('config.yaml').find((d) => d.kind === 'ConfigMap')!.data!;
    const deployment = read('ingest.yaml').find((d) => d.kind === 'Deployment')!;
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env = {
      ...config,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      REDIS_URL: TEST_REDIS_URL,
      ALLOW_UNSAFE_REDIS: '1',
      QUEUE_PREFIX: testPrefix(),
      SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    };
    const container = deployment.spec!.template!.spec.containers[0]!;
    container.image = `localhost/${IMAGE}`;
    delete container.envFrom;
    container.env = Object.entries(env).map(([name, value]) => ({ name, value }));
    // On the host's network (where this machine's Redis is) podman maps no ports:
    // the probes name the ports the process listens on here instead.
    const ports: Record<string, number> = { http: port, ops: metricsPort };
    delete container.ports;
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      if (probe) probe.httpGet.port = ports[String(probe.httpGet.port)] ?? probe.httpGet.port;
    }
    deployment.metadata.name = `kyc-test-${runId}-kube`;
    (deployment.spec as { replicas?: number }).replicas = 1;
    const file = path.join(tmpdir(), `${deployment.metadata.name}.yaml`);
    writeFileSync(file, stringify(deployment));
    try {
      const play = await run('podman', ['kube', 'play', '--network', 'host', file]);
      expect(play.code, play.stderr).toBe(0);
      await expect.poll(() => readyz(`http://127.0.0.1:${port}`), { timeout: 90_000, interval: 500 }).toBe(200);
      const person = newApplicant();
      const [inspected] = JSON.parse(await engine(['inspect', `${deployment.metadata.name}-pod-0-ingest`])) as {
        Config: { User: string };
        HostConfig: { ReadonlyRootfs: boolean };
        EffectiveCaps: string[] | null;
      }[];
      expect(inspected!.Config.User).toBe('10001:10001');
      expect(inspected!.HostConfig.ReadonlyRootfs).toBe(true);
      expect(inspected!.EffectiveCaps ?? []).toEqual([]);
      const sent = await deliver(
        { url: `http://127.0.0.1:${port}`, secret: TEST_SECRET, algorithm: 'HMAC_SHA256_HEX' },
        JSON.stringify(SAMPLES.created(person)),
      );
      expect(sent.status).toBe(200);
    } finally {
      await run('podman', ['kube', 'down', file]);
      rmSync(file, { force: true });
    }
  }, 180_000);
});
