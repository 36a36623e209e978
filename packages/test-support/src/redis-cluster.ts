import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SAFE_REDIS_SERVER_ARGS } from '@kyc/runtime';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);

export type ClusterNode = { port: number; child: ChildProcess; dir: string };

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
  return stdout;
}

/** Waits until every listed node answers and reports `cluster_state:ok` with all slots covered. */
async function clusterReady(ports: readonly number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ports.map((p) => cli(p, 'cluster', 'info').catch(() => '')));
    if (states.every((s) => s.includes('cluster_state:ok') && s.includes('cluster_slots_ok:16384'))) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster did not become ready: ${states.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until every replica has finished its first sync: a replica that never
 * synced refuses to be promoted (its data counts as infinitely old).
 */
async function replicasInSync(ports: readonly number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      const info = await cli(port, 'info', 'replication').catch(() => '');
      if (info.includes('role:master') || info.includes('master_link_status:up')) break;
      if (Date.now() > deadline) throw new Error(`replica ${port} did not sync with its master`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A real Redis Cluster on free loopback ports: `masters` masters, each with
 * `replicasPerMaster` replicas, AOF on (so the safety check passes), created with
 * `redis-cli --cluster create`. Stop one node (SIGKILL) to fail it over.
 */
export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number; nodeTimeoutMs?: number } = {}) {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const root = mkdtempSync(path.join(tmpdir(), 'kyc-cluster-'));
  const nodes: ClusterNode[] = [];
  const startNode = (port: number, dir: string): ChildProcess =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        String(options.nodeTimeoutMs ?? 2000),
        ...SAFE_REDIS_SERVER_ARGS,
      ],
      { stdio: 'ignore' },
    );
  for (let i = 0; i < masters * (1 + replicas); i++) {
    const port = await freePort();
    const dir = path.join(root, String(port));
    mkdirSync(dir, { recursive: true });
    nodes.push({ port, dir, child: startNode(port, dir) });
  }
  const ports = nodes.map((n) => n.port);
  for (const port of ports) {
    const deadline = Date.now() + 10_000;
    while ((await cli(port, 'ping').catch(() => '')).trim() !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`cluster node ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    String(replicas),
    '--cluster-yes',
  ]);
  await clusterReady(ports);
  await replicasInSync(ports);

  const cluster = {
    nodes,
    ports,
    /** Seed list as REDIS_CLUSTER_NODES takes it. */
    seeds: ports.map((p) => `127.0.0.1:${p}`).join(','),
    /** Port of the master that owns `slot`. */
    async masterOf(slot: number): Promise<number> {
      for (const port of cluster.livePorts()) {
        const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
        client.on('error', () => undefined);
        try {
          await client.connect();
          const slots = (await client.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
          const owner = slots.find(([from, to]) => slot >= from && slot <= to);
          if (owner) return owner[2][1];
        } catch {
          // a node that just failed: ask the next one
        } finally {
          client.disconnect();
        }
      }
      throw new Error(`no live node knows slot ${slot}`);
    },
    /**
     * Moves one slot, keys and all, to the master on `toPort`, as `redis-cli --cluster
     * reshard` does: IMPORTING/MIGRATING, MIGRATE in batches, then SETSLOT NODE on every
     * master. Clients meanwhile get ASK redirections.
     */
    async moveSlot(slot: number, toPort: number): Promise<void> {
      const fromPort = await cluster.masterOf(slot);
      if (fromPort === toPort) return;
      const idOf = async (port: number) => (await cli(port, 'cluster', 'myid')).trim();
      const [fromId, toId] = [await idOf(fromPort), await idOf(toPort)];
      await cli(toPort, 'cluster', 'setslot', String(slot), 'importing', fromId);
      await cli(fromPort, 'cluster', 'setslot', String(slot), 'migrating', toId);
      for (;;) {
        const keys = (await cli(fromPort, 'cluster', 'getkeysinslot', String(slot), '50')).split('\n').filter(Boolean);
        if (keys.length === 0) break;
        await cli(fromPort, 'migrate', '127.0.0.1', String(toPort), '', '0', '5000', 'keys', ...keys);
      }
      for (const port of cluster.livePorts()) {
        await cli(port, 'cluster', 'setslot', String(slot), 'node', toId).catch(() => '');
      }
    },
    /** Ports of the masters, in slot order. */
    async masters(): Promise<number[]> {
      const owners = await Promise.all([0, 8192, 16383].map((slot) => cluster.masterOf(slot)));
      const all = new Set<number>(owners);
      for (const port of cluster.livePorts()) {
        const role = (await cli(port, 'role').catch(() => '')).split('\n')[0];
        if (role === 'master') all.add(port);
      }
      return [...all];
    },
    livePorts: () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null).map((n) => n.port),
    async kill(port: number): Promise<void> {
      const node = nodes.find((n) => n.port === port);
      if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
      const exited = new Promise((resolve) => node.child.once('exit', resolve));
      node.child.kill('SIGKILL');
      await exited;
    },
    /** Waits until `slot` is served by another master than `port` (a replica was promoted), and the cluster is healthy. */
    async failedOver(slot: number, port: number, timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((await cluster.masterOf(slot).catch(() => port)) === port) {
        if (Date.now() > deadline) {
          const view = await cli(cluster.livePorts()[0] ?? 0, 'cluster', 'nodes').catch((e: Error) => e.message);
          throw new Error(`slot ${slot} was not failed over within ${timeoutMs} ms; cluster nodes:\n${view}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await clusterReady(cluster.livePorts(), timeoutMs);
    },
    /** Waits until the surviving nodes report a healthy cluster again (after a failover). */
    async healthy(timeoutMs = 30_000): Promise<void> {
      await clusterReady(cluster.livePorts(), timeoutMs);
    },
    async stop(): Promise<void> {
      await Promise.all(nodes.map((n) => cluster.kill(n.port)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return cluster;
}

export type RedisCluster = Awaited<ReturnType<typeof startRedisCluster>>;
