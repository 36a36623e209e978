import type { Sql } from './sql.ts';

/**
 * Reads from a PostgreSQL streaming replica while it keeps up, else from the
 * primary. A probe measures the replica's lag every `probeIntervalMs`; a read is
 * sent to the replica only when the last probe answered and the lag was at most
 * `maxLagSeconds`. A read the replica cannot serve (connection lost, server
 * shutting down, a query cancelled by a conflict with recovery) is sent to the
 * primary at once and the replica is left out until the next probe answers.
 */
export type ReplicaReads = Sql & {
  /** Runs one probe now (the timer runs them on its own); resolves when it is done. */
  probe(): Promise<void>;
  /** The last probe's view: where reads go, and the lag it measured (null: the replica did not answer). */
  state(): { target: 'replica' | 'primary'; lagSeconds: number | null };
};

export type ReplicaOptions = {
  maxLagSeconds: number;
  probeIntervalMs?: number;
  /** Called after every probe (metrics). */
  onProbe?: (state: { target: 'replica' | 'primary'; lagSeconds: number | null }) => void;
  /** Called when reads leave the replica, with why (logs). */
  onFallback?: (reason: string) => void;
};

type ProbeRow = { inRecovery: boolean; pending: boolean; streaming: boolean; replayAgeSeconds: number | null };

// pending: WAL received but not yet replayed. streaming: the WAL receiver is connected
// (a standby cut off from its primary has nothing pending and would read as current).
// replayAgeSeconds: since the last replayed commit; a lag only while WAL is pending.
const PROBE_SQL = `SELECT pg_is_in_recovery() AS in_recovery,
  COALESCE(pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn(), false) AS pending,
  EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming,
  EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_age_seconds`;

/**
 * SQLSTATE classes that say the replica, not the query, failed: 08 connection
 * exception, 53 insufficient resources, 57 operator intervention (shutdown,
 * cancelled by recovery conflict: 57014 with hot standby), 40001 (a standby's
 * snapshot conflict). Errors without a SQLSTATE are the driver's (refused, reset).
 */
function replicaFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('57') || code === '40001';
}

export function replicaReadSql(primary: Sql, replica: Sql, options: ReplicaOptions): ReplicaReads {
  const interval = options.probeIntervalMs ?? 1_000;
  let state: { target: 'replica' | 'primary'; lagSeconds: number | null } = { target: 'primary', lagSeconds: null };
  // Since when the replica has been behind without a break (WAL pending or no receiver).
  let behindSince: number | null = null;

  const leave = (reason: string) => {
    if (state.target === 'replica') options.onFallback?.(reason);
    state = { ...state, target: 'primary' };
  };

  const lagOf = (row: ProbeRow, now: number): number => {
    if (!row.inRecovery) return 0; // promoted: it is a primary now and has everything it has
    const behind = row.pending || !row.streaming;
    behindSince = behind ? (behindSince ?? now) : null;
    if (!behind || behindSince === null) return 0;
    const since = (now - behindSince) / 1000;
    // An idle primary's last commit may be an hour old: the replay age alone would
    // read an hour of lag for the milliseconds a new commit takes to replay.
    return row.pending && row.replayAgeSeconds !== null ? Math.min(row.replayAgeSeconds, since) : since;
  };

  const probe = async () => {
    try {
      const [row] = await replica.query<ProbeRow>(PROBE_SQL);
      const lag = row ? lagOf(row, Date.now()) : null;
      if (lag !== null && lag <= options.maxLagSeconds) state = { target: 'replica', lagSeconds: lag };
      else {
        leave(`replica lag ${lag?.toFixed(1) ?? '?'} s is over ${options.maxLagSeconds} s`);
        state = { target: 'primary', lagSeconds: lag };
      }
    } catch (error) {
      leave(`replica unreachable: ${error instanceof Error ? error.message : String(error)}`);
      state = { target: 'primary', lagSeconds: null };
    }
    options.onProbe?.(state);
  };

  let probing: Promise<void> = probe();
  const timer = setInterval(() => {
    probing = probing.then(probe);
  }, interval);
  timer.unref();

  return {
    async query<T extends object>(text: string, values?: readonly unknown[]): Promise<T[]> {
      if (state.target !== 'replica') return primary.query<T>(text, values);
      try {
        return await replica.query<T>(text, values);
      } catch (error) {
        if (!replicaFault(error)) throw error;
        leave(`replica read failed: ${error instanceof Error ? error.message : String(error)}`);
        return primary.query<T>(text, values);
      }
    },
    probe: () => (probing = probing.then(probe)),
    state: () => state,
    async close() {
      clearInterval(timer);
      await probing;
      await replica.close(); // the primary belongs to the caller
    },
  };
}
