import type { Config } from '@kyc/runtime';
import { pgSql, replicaReadSql, type Sql } from '@kyc/db/plain';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge, type Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Where the read routes (records, events, change feed) query: a streaming
     * replica (DATABASE_READ_URL) while it keeps up, else the primary. Writes,
     * admin actions and reads that must see their own write use the primary.
     */
    reads: Sql;
  }
}

/** The api's connections to the replica (its read routes' share of API_POOL_SIZE, on another server). */
const REPLICA_POOL_SIZE = 5;

export const readReplicaPlugin = fp<{ config: Config; sql: Sql; registry: Registry }>(
  async (app: FastifyInstance, { config, sql, registry }) => {
    if (!config.DATABASE_READ_URL) {
      app.decorate('reads', sql);
      return;
    }
    const lag = new Gauge({
      name: 'kyc_replica_lag_seconds',
      help: 'How far the read replica is behind the primary, at the last probe (NaN: it did not answer)',
      registers: [registry],
    });
    const inUse = new Gauge({
      name: 'kyc_replica_reads',
      help: '1 while read routes query the replica, 0 while they fall back to the primary',
      registers: [registry],
    });
    const reads = replicaReadSql(sql, pgSql(config.DATABASE_READ_URL, REPLICA_POOL_SIZE), {
      maxLagSeconds: config.DATABASE_READ_MAX_LAG_SECONDS,
      onProbe: (state) => {
        lag.set(state.lagSeconds ?? Number.NaN);
        inUse.set(state.target === 'replica' ? 1 : 0);
      },
      onFallback: (reason) => app.log.warn({ reason }, 'reads fall back to the primary'),
    });
    await reads.probe();
    app.decorate('reads', reads);
    app.addHook('onClose', async () => {
      await reads.close();
      registry.removeSingleMetric('kyc_replica_lag_seconds');
      registry.removeSingleMetric('kyc_replica_reads');
    });
  },
  { name: 'kyc-read-replica' },
);
