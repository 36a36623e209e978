import type { Sql } from '@kyc/db/plain';
import { SumsubApiError, type SumsubClient } from '@kyc/sumsub-api';
import type { ReportUnknown } from '../rejections.ts';
import type { SumsubMetrics } from './metrics.ts';

/** What a Sumsub API job runs with: the shared parts and the credentials of the account it acts for. */
export type SumsubDeps = {
  /** The Sumsub account whose credentials this job uses: its applicant's owner. */
  account: string;
  /** A client signed with that account's app token and secret key. */
  client: SumsubClient;
  sql: Sql;
  /** That account's secret key: signs the events reconciliation records (so replay can verify them). */
  secretKey: string;
  metrics: SumsubMetrics;
  /** Counts and logs button ids of a clarification the catalogue does not know. */
  reportUnknown: ReportUnknown;
  /** Adds jobs to the sumsub-api queue (a fetch after a reconciled RED review, a stale run's applicants). */
  enqueue: (jobs: readonly { name: string; data: object; opts: object }[]) => Promise<void>;
};

/** One GET, counted and timed by call name. */
export async function apiGet(deps: SumsubDeps, call: string, path: string): Promise<unknown> {
  const end = deps.metrics.duration.startTimer({ call });
  try {
    const body = await deps.client.get(path);
    deps.metrics.requests.inc({ call, outcome: 'ok' });
    return body;
  } catch (error) {
    deps.metrics.requests.inc({ call, outcome: error instanceof SumsubApiError ? error.kind : 'unavailable' });
    throw error;
  } finally {
    end();
  }
}
