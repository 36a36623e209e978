import type { Sql } from '@kyc/db/plain';
import type { LifecycleQueues } from '@kyc/lifecycle';
import type { LifecycleMetrics } from './metrics.ts';

export type LifecycleDeps = { sql: Sql; queues: LifecycleQueues; metrics: LifecycleMetrics };
