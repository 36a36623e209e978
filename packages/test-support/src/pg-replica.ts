import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.ts';

/** The installed PostgreSQL server binaries (Debian: /usr/lib/postgresql/<major>/bin), or PG_BIN. */
function serverBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = majors.map((m) => path.join(root, m, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
  if (!found) throw new Error('no PostgreSQL server binaries (initdb) under /usr/lib/postgresql; set PG_BIN');
  return found;
}

/** PostgreSQL refuses to run as root: as root, the server commands run as the `postgres` user. */
function run(bin: string, command: string, args: string[]): void {
  const file = path.join(bin, command);
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : file, asRoot ? ['-u', 'postgres', '--', file, ...args] : args, { stdio: 'pipe' });
}

async function one<T extends object>(url: string, text: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows[0] as T;
  } finally {
    await client.end();
  }
}

export type PostgresWithReplica = {
  primaryUrl(database?: string): string;
  replicaUrl(database?: string): string;
  /** Creates a database on the primary (it reaches the replica through replication). */
  createDatabase(name: string): Promise<void>;
  /** Stops applying WAL on the replica (it keeps receiving): its reads fall behind. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary has written. */
  waitForCatchUp(timeoutMs?: number): Promise<void>;
  replica: { kill(): void };
  destroy(): Promise<void>;
};

/**
 * A private PostgreSQL primary and a streaming hot-standby replica made from it
 * with pg_basebackup, each on a free port (for tests of reads from a replica).
 */
export async function startPostgresWithReplica(): Promise<PostgresWithReplica> {
  const bin = serverBin();
  const root = mkdtempSync(path.join(tmpdir(), 'kyc-pg-replica-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', root]);
  const primaryDir = path.join(root, 'primary');
  const replicaDir = path.join(root, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const settings = (port: number) =>
    [
      '-c',
      `port=${port}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${root}`,
      '-c',
      'fsync=off',
      '-c',
      'wal_level=replica',
      '-c',
      'max_wal_senders=4',
    ].join(' ');

  run(bin, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  run(bin, 'pg_ctl', ['-D', primaryDir, '-l', path.join(root, 'primary.log'), '-o', settings(primaryPort), '-w', 'start']);
  run(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream']);
  run(bin, 'pg_ctl', [
    '-D',
    replicaDir,
    '-l',
    path.join(root, 'replica.log'),
    '-o',
    `${settings(replicaPort)} -c hot_standby=on`,
    '-w',
    'start',
  ]);

  const url = (port: number, database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const stop = (dir: string) => {
    try {
      run(bin, 'pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  const system: PostgresWithReplica = {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    async createDatabase(name) {
      await one(url(primaryPort), `CREATE DATABASE "${name}"`);
      await system.waitForCatchUp();
    },
    pauseReplay: () => one(url(replicaPort), 'SELECT pg_wal_replay_pause()').then(() => undefined),
    resumeReplay: () => one(url(replicaPort), 'SELECT pg_wal_replay_resume()').then(() => undefined),
    async waitForCatchUp(timeoutMs = 30_000) {
      const { lsn } = await one<{ lsn: string }>(url(primaryPort), 'SELECT pg_current_wal_lsn()::text AS lsn');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { done } = await one<{ done: boolean }>(url(replicaPort), `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`);
        if (done) return;
        if (Date.now() > deadline) throw new Error(`replica did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    replica: { kill: () => stop(replicaDir) },
    async destroy() {
      stop(replicaDir);
      stop(primaryDir);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return system;
}
