import type { Sql } from '@kyc/db/plain';
import type { ErasureQueues } from '@kyc/erasure';
import type { ErasureMetrics } from './metrics.ts';

export type ErasureDeps = { sql: Sql; queues: ErasureQueues; metrics: ErasureMetrics };
